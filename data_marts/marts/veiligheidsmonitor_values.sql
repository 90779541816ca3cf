-- Veiligheidsmonitor per wave, on the current indeling: predecessors weighted by inhabitants,
-- margins combined; estimates with too few respondents withheld; change since the previous wave
-- significant when it exceeds the combined margin.
with vm as (
    select * from stg_veiligheidsmonitor
),

huidig as (
    select * from int_gemeente_huidig
),

regio as (
    select * from int_regio_gemeenten
),

districten as (
    select * from ref_districten
),

bevolking as (
    select * from ref_bevolking
),

indicatoren as (
    select * from ref_indicatoren
),

params as (
    select * from build_params
),

gemeente_rows as (
    select
        'gemeente' as level,
        huidig.huidige_code as area_code,
        regio.gemeente_naam as area_name,
        vm.periode as period,
        vm.indicator_code,
        vm.eenheid,
        vm.waarde,
        vm.marge,
        vm.respons,
        coalesce(bevolking.inwoners, 1) as gewicht,
    from vm
    inner join huidig on huidig.gemeente_code = vm.gemeente_code
    inner join regio on regio.gemeente_code = huidig.huidige_code
    left join bevolking on bevolking.gemeente_code = vm.gemeente_code and bevolking.jaar = cast(vm.periode as integer)
    where vm.gebied_code like 'GM%'
),

gemeente_combined as (
    select
        level,
        area_code,
        area_name,
        period,
        indicator_code,
        any_value(eenheid) as eenheid,
        case when bool_and(waarde is not null) then sum(waarde * gewicht) / sum(gewicht) end as value,
        case when bool_and(marge is not null) then sqrt(sum(power(marge * gewicht / total_weight, 2))) end as margin,
        cast(sum(respons) as bigint) as respons,
    from (
        select
            *,
            sum(gewicht) over (partition by area_code, period, indicator_code) as total_weight
        from gemeente_rows
    ) as weighted
    group by level, area_code, area_name, period, indicator_code
),

other_rows as (
    select
        -- a district's code starts with its eenheid's (RE07-RN): the district table decides
        case when districten.district_code is not null then 'district' else 'eenheid' end as level,
        vm.gebied_code as area_code,
        coalesce(districten.district_naam, params.region_name) as area_name,
        vm.periode as period,
        vm.indicator_code,
        vm.eenheid,
        vm.waarde as value,
        vm.marge as margin,
        vm.respons,
    from vm
    cross join params
    left join districten on districten.district_code = vm.gebied_code
    where vm.gebied_code not like 'GM%'
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
        indicatoren.label as indicator_label,
        with_previous.eenheid as unit,
        round(with_previous.value, 2) as value,
        round(with_previous.margin, 2) as margin,
        round(with_previous.value - with_previous.margin, 2) as lower,
        round(with_previous.value + with_previous.margin, 2) as upper,
        with_previous.respons,
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
    inner join indicatoren using (indicator_code)
    cross join params
    where cast(with_previous.period as integer) <= params.edition_year
    order by with_previous.indicator_code, with_previous.level, with_previous.area_code, with_previous.period
)

select * from final
