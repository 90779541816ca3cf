-- One figure per level (gemeente, district, eenheid), area, period and indicator, before
-- suppression and comparisons. A figure is missing (value null, with `missing_reason`) when:
-- - a source did not deliver the gemeente for (part of) the period (`ref_niet_aangeleverd`,
--   see pipeline/validate/coverage.py): then also its district and the eenheid have no figure;
-- - a district holds part of Rotterdam and Rotterdam's figure of that period has no wijk detail,
--   so it cannot be split over the districts.
-- When a gemeente table and buurt rows come for the same period, the gemeente totals make the
-- gemeenten and the eenheid, the buurten the districts of a split gemeente (Rotterdam), and what
-- a gemeente has beyond its buurten is a row of its own ('zonder buurt').
with all_facts as (
    select * from int_facts_per_period
),

params as (
    select * from build_params
),

region_gemeenten as (
    select * from int_region_gemeenten
),

area_details as (
    select
        indicator_code,
        gemeente_code,
        period,
        bool_or(area_detail = 'gemeente') as has_total,
        bool_or(area_detail = 'wijk') as has_wijken,
    from all_facts
    group by all
),

gemeente_facts as (
    select
        all_facts.*,
        area_details.has_total,
        area_details.has_wijken,
        region_gemeenten.district_code is null as is_split,
    from all_facts
    cross join params
    inner join area_details
        on
            all_facts.indicator_code = area_details.indicator_code
            and all_facts.gemeente_code = area_details.gemeente_code
            and all_facts.period = area_details.period
    left join region_gemeenten on all_facts.gemeente_code = region_gemeenten.gemeente_code
    where all_facts.gemeente_code <> params.region
),

-- the figures of gemeenten and the eenheid: a gemeente's own total when there is one
facts as (
    select * from gemeente_facts
    where area_detail = 'gemeente' or not has_total
),

-- the figures of districts: a gemeente split over districts by its wijken when there are
district_facts as (
    select * from gemeente_facts
    where
        case
            when is_split then area_detail = 'wijk' or not has_wijken
            else area_detail = 'gemeente' or not has_total
        end
),

source_total as (
    select
        all_facts.indicator_code,
        all_facts.period,
        all_facts.period_type,
        sum(all_facts.value) as value,
    from all_facts
    cross join params
    where all_facts.gemeente_code = params.region
    group by all
),

districts as (
    select stg_districts.*
    from stg_districts
    inner join build_params on stg_districts.eenheid_code = build_params.region
),

indeling as (
    select * from stg_district_indeling
),

population as (
    select * from int_population
),

indicators as (
    select * from stg_indicators
),

-- a gemeente split over districts (Rotterdam in RE07) is one whose wijken the district indeling lists
split_districts as (
    select distinct
        'GM' || substr(area_code, 3, 4) as gemeente_code,
        district_code,
    from indeling
    where area_code like 'WK%'
),

undivided as (
    select distinct
        gemeente_code,
        indicator_code,
        period,
    from district_facts
    where gemeente_code in (select split_districts.gemeente_code from split_districts) and district_code is null
),

undivided_district as (
    select
        split_districts.district_code,
        undivided.indicator_code,
        undivided.period,
        string_agg(distinct region_gemeenten.gemeente_name, ', ' order by region_gemeenten.gemeente_name) as gemeenten,
    from undivided
    inner join split_districts on split_districts.gemeente_code = undivided.gemeente_code
    inner join region_gemeenten on region_gemeenten.gemeente_code = undivided.gemeente_code
    group by all
),

indicator_periods as (
    select distinct
        facts.indicator_code,
        facts.source,
        facts.period,
        facts.period_type,
    from facts
),

not_delivered_input as (
    select * from stg_not_delivered
),

-- a month not delivered leaves its half-year and year without a figure, a half-year its year
not_delivered as (
    select distinct
        source,
        gemeente_code,
        period,
    from (
        select
            source,
            gemeente_code,
            case period_type_of(period)
                when 'maand'
                    then substr(period, 1, 4) || 'H' || case when cast(substr(period, 6, 2) as integer) <= 6 then '1' else '2' end
                when 'halfjaar' then period
            end as period,
        from not_delivered_input
        union all
        select
            source,
            gemeente_code,
            substr(period, 1, 4) as period,
        from not_delivered_input
    ) as per_period
    where period is not null
),

district_not_delivered as (
    select distinct
        not_delivered.source,
        region_gemeenten.district_code,
        not_delivered.period,
    from not_delivered
    inner join region_gemeenten on not_delivered.gemeente_code = region_gemeenten.gemeente_code
    where region_gemeenten.district_code is not null
    union
    select
        not_delivered.source,
        split_districts.district_code,
        not_delivered.period,
    from not_delivered
    inner join split_districts on split_districts.gemeente_code = not_delivered.gemeente_code
),

-- every gemeente of the region gets a figure for every period a source delivered: no row is 0
gemeente_grid as (
    select
        region_gemeenten.gemeente_code,
        region_gemeenten.gemeente_name,
        region_gemeenten.district_code,
        indicator_periods.*,
    from region_gemeenten
    cross join indicator_periods
),

per_gemeente as (
    select
        'gemeente' as level,
        gemeente_grid.gemeente_code as area_code,
        gemeente_grid.gemeente_name as area_name,
        gemeente_grid.district_code,
        gemeente_grid.indicator_code,
        gemeente_grid.period,
        gemeente_grid.period_type,
        case when any_value(not_delivered.gemeente_code) is null then coalesce(sum(facts.value), 0) end as value,
        case when any_value(not_delivered.gemeente_code) is not null then 'niet aangeleverd' end as missing_reason,
    from gemeente_grid
    left join facts
        on
            gemeente_grid.gemeente_code = facts.gemeente_code
            and gemeente_grid.indicator_code = facts.indicator_code
            and gemeente_grid.period = facts.period
    left join not_delivered
        on
            gemeente_grid.gemeente_code = not_delivered.gemeente_code
            and gemeente_grid.source = not_delivered.source
            and gemeente_grid.period = not_delivered.period
    group by all
),

district_grid as (
    select
        districts.district_code,
        districts.district_name,
        indicator_periods.*,
        case
            when undivided_district.gemeenten is not null
                then undivided_district.gemeenten || ' niet per wijk aangeleverd'
            when exists (
                    select 1
                    from district_not_delivered
                    where
                        district_not_delivered.district_code = districts.district_code
                        and district_not_delivered.source = indicator_periods.source
                        and district_not_delivered.period = indicator_periods.period
                )
                then 'niet aangeleverd'
        end as missing_reason,
    from districts
    cross join indicator_periods
    left join undivided_district
        on
            undivided_district.district_code = districts.district_code
            and undivided_district.indicator_code = indicator_periods.indicator_code
            and undivided_district.period = indicator_periods.period
),

per_district as (
    select
        'district' as level,
        district_grid.district_code as area_code,
        district_grid.district_name as area_name,
        district_grid.district_code,
        district_grid.indicator_code,
        district_grid.period,
        district_grid.period_type,
        case
            when any_value(district_grid.missing_reason) is null then coalesce(sum(district_facts.value), 0)
        end as value,
        any_value(district_grid.missing_reason) as missing_reason,
    from district_grid
    left join district_facts
        on
            district_grid.district_code = district_facts.district_code
            and district_grid.indicator_code = district_facts.indicator_code
            and district_grid.period = district_facts.period
    group by all
),

per_eenheid as (
    select
        'eenheid' as level,
        params.region as area_code,
        params.region_name as area_name,
        cast(null as varchar) as district_code,
        facts.indicator_code,
        facts.period,
        facts.period_type,
        -- the source's own total when it delivered one (it includes what no gemeente holds)
        coalesce(
            any_value(source_total.value),
            case when any_value(eenheid_not_delivered.source) is null then sum(facts.value) end
        ) as value,
        case
            when any_value(source_total.value) is null and any_value(eenheid_not_delivered.source) is not null
                then 'niet aangeleverd'
        end as missing_reason,
    from facts
    cross join params
    left join source_total
        on
            facts.indicator_code = source_total.indicator_code
            and facts.period = source_total.period
    left join (
        select distinct
            source,
            period,
        from not_delivered
    ) as eenheid_not_delivered
        on
            facts.source = eenheid_not_delivered.source
            and facts.period = eenheid_not_delivered.period
    group by all
),

-- what the source's own total holds beyond its gemeenten: Σ gemeenten + this = eenheid
unassigned as (
    select
        'niet toe te delen' as level,
        params.region || '-NTD' as area_code,
        'Niet aan een gemeente toe te delen' as area_name,
        cast(null as varchar) as district_code,
        source_total.indicator_code,
        source_total.period,
        source_total.period_type,
        source_total.value - gemeenten.value as value,
        cast(null as varchar) as missing_reason,
    from source_total
    cross join params
    inner join (
        select
            indicator_code,
            period,
            case when count(value) = count(*) then sum(value) end as value,
        from per_gemeente
        group by all
    ) as gemeenten
        on
            source_total.indicator_code = gemeenten.indicator_code
            and source_total.period = gemeenten.period
),

-- what a gemeente's own total has beyond its buurten (crimes without a buurt), for a gemeente
-- delivered both ways; not for sensitive codes, where it would be a small published number
without_buurt as (
    select
        'niet toe te delen' as level,
        gemeente_facts.gemeente_code || '-ZB' as area_code,
        any_value(region_gemeenten.gemeente_name) || ': zonder buurt' as area_name,
        any_value(region_gemeenten.district_code) as district_code,
        gemeente_facts.indicator_code,
        gemeente_facts.period,
        gemeente_facts.period_type,
        sum(case when gemeente_facts.area_detail = 'gemeente' then gemeente_facts.value else -gemeente_facts.value end)
            as value,
        cast(null as varchar) as missing_reason,
    from gemeente_facts
    inner join region_gemeenten on gemeente_facts.gemeente_code = region_gemeenten.gemeente_code
    inner join indicators on gemeente_facts.indicator_code = indicators.indicator_code
    where
        gemeente_facts.has_total and gemeente_facts.has_wijken
        and indicators.sensitivity <> 'gevoelig'
    group by all
),

counts as (
    select * from per_gemeente
    union all
    select * from per_district
    union all
    select * from per_eenheid
    union all
    select * from unassigned
    union all
    select * from without_buurt
),

ratios as (
    select
        participants.level,
        participants.area_code,
        participants.area_name,
        participants.district_code,
        'B_DEKKING' as indicator_code,
        participants.period,
        participants.period_type,
        100.0 * participants.value / population.inwoners as value,
        participants.missing_reason,
    from counts as participants
    inner join population
        on
            population.level = participants.level
            and population.area_code = participants.area_code
            and population.year = cast(substr(participants.period, 1, 4) as integer)
    where participants.indicator_code = 'B_DEELNEMERS'
    union all
    select
        actions.level,
        actions.area_code,
        actions.area_name,
        actions.district_code,
        'B_SUCCES_PCT' as indicator_code,
        actions.period,
        actions.period_type,
        case when actions.value > 0 then 100.0 * successes.value / actions.value end as value,
        coalesce(actions.missing_reason, successes.missing_reason) as missing_reason,
    from counts as actions
    inner join counts as successes
        on
            successes.level = actions.level
            and successes.area_code = actions.area_code
            and successes.period = actions.period
            and successes.indicator_code = 'B_ACTIES_SUCCESVOL'
    where actions.indicator_code = 'B_ACTIES'
),

combined as (
    select
        *,
        cast(value as double) as value_d,
    from counts
    union all
    select
        *,
        cast(value as double) as value_d,
    from ratios
),

final as (
    select
        params.edition,
        combined.level,
        combined.area_code,
        combined.area_name,
        combined.district_code,
        combined.period,
        combined.period_type,
        cast(substr(combined.period, 1, 4) as integer) as year,
        combined.indicator_code,
        combined.value_d as value,
        combined.missing_reason,
        case indicators.denominator_kind
            when 'inwoners' then population.inwoners
            when 'jongeren_12_17' then population.jongeren
        end as denominator,
        population.inwoners,
        population.population_year,
        indicators.sensitivity = 'gevoelig' as sensitive,
        indicators.unit,
        indicators.aggregation,
        indicators.source,
    from combined
    inner join indicators using (indicator_code)
    cross join params
    left join population
        on
            population.level = combined.level
            and population.area_code = combined.area_code
            and population.year = cast(substr(combined.period, 1, 4) as integer)
)

select * from final
