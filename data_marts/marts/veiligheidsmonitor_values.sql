-- Veiligheidsmonitor per wave, on the current indeling: predecessors weighted by inhabitants,
-- margins combined; estimates with too few respondents withheld; change since the previous wave
-- significant when it exceeds the combined margin.
with vm as (
    select * from stg_veiligheidsmonitor
),

current_gemeenten as (
    select * from int_current_gemeenten
),

region_gemeenten as (
    select * from int_region_gemeenten
),

districts as (
    select * from stg_districts
),

population as (
    select * from stg_population
),

indicators as (
    select * from stg_indicators
),

params as (
    select * from build_params
),

gemeente_rows as (
    select
        'gemeente' as level,
        current_gemeenten.current_code as area_code,
        region_gemeenten.gemeente_name as area_name,
        vm.period,
        vm.indicator_code,
        vm.unit,
        vm.value,
        vm.margin,
        vm.response,
        coalesce(population.inwoners, 1) as weight,
    from vm
    inner join current_gemeenten on current_gemeenten.gemeente_code = vm.gemeente_code
    inner join region_gemeenten on region_gemeenten.gemeente_code = current_gemeenten.current_code
    left join population on population.gemeente_code = vm.gemeente_code and population.year = cast(vm.period as integer)
    where vm.area_code like 'GM%'
),

gemeente_combined as (
    select
        level,
        area_code,
        area_name,
        period,
        indicator_code,
        any_value(unit) as unit,
        case when bool_and(value is not null) then sum(value * weight) / sum(weight) end as value,
        case when bool_and(margin is not null) then sqrt(sum(power(margin * weight / total_weight, 2))) end as margin,
        cast(sum(response) as bigint) as response,
    from (
        select
            *,
            sum(weight) over (partition by area_code, period, indicator_code) as total_weight
        from gemeente_rows
    ) as weighted
    group by level, area_code, area_name, period, indicator_code
),

other_rows as (
    select
        -- a district's code starts with its eenheid's (RE07-RN): the district table decides
        case when districts.district_code is not null then 'district' else 'eenheid' end as level,
        vm.area_code,
        coalesce(districts.district_name, params.region_name) as area_name,
        vm.period,
        vm.indicator_code,
        vm.unit,
        vm.value,
        vm.margin,
        vm.response,
    from vm
    cross join params
    left join districts on districts.district_code = vm.area_code
    where vm.area_code not like 'GM%'
),

combined as (
    select * from gemeente_combined
    union all
    select * from other_rows
),

with_previous as (
    select
        combined.*,
        previous.value as prev_value,
        previous.margin as prev_margin,
        previous.period as prev_period,
    from combined
    left join combined as previous
        on
            previous.level = combined.level
            and previous.area_code = combined.area_code
            and previous.indicator_code = combined.indicator_code
            and previous.period = (
                select max(p.period) from combined as p
                where p.level = combined.level and p.area_code = combined.area_code
                    and p.indicator_code = combined.indicator_code and p.period < combined.period
            )
),

final as (
    select
        params.edition,
        with_previous.level,
        with_previous.area_code,
        with_previous.area_name,
        with_previous.period,
        with_previous.indicator_code,
        indicators.label as indicator_label,
        with_previous.unit,
        round(with_previous.value, 2) as value,
        round(with_previous.margin, 2) as margin,
        round(with_previous.value - with_previous.margin, 2) as lower,
        round(with_previous.value + with_previous.margin, 2) as upper,
        with_previous.response,
        with_previous.value is null as withheld,
        case
            when with_previous.value is null then 'onvoldoende respons'
            else replace(printf('%.1f', with_previous.value), '.', ',')
        end as display_value,
        with_previous.prev_period,
        round(with_previous.prev_value, 2) as prev_value,
        round(with_previous.value - with_previous.prev_value, 2) as change,
        abs(with_previous.value - with_previous.prev_value)
        > sqrt(power(with_previous.margin, 2) + power(with_previous.prev_margin, 2)) as significant,
        params.is_demo,
    from with_previous
    inner join indicators using (indicator_code)
    cross join params
    where cast(with_previous.period as integer) <= params.edition_year
    order by with_previous.indicator_code, with_previous.level, with_previous.area_code, with_previous.period
)

select * from final
