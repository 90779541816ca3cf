-- All counts of all sources, harmonised to the current indeling, restricted to the region,
-- mapped to a district (per wijk for Rotterdam, per gemeente elsewhere) and to indicators.
-- A police table's own total of the region stays as an area with the region's code (RE07, NL),
-- for the indicators that are one police code.
with misdrijven as (
    select * from stg_politie_misdrijven
),

incidenten as (
    select * from stg_politie_incidenten
),

halt as (
    select * from stg_halt
),

riec as (
    select * from stg_riec
),

veiligheidshuis as (
    select * from stg_veiligheidshuis
),

burgernet as (
    select * from stg_burgernet
),

current_gemeenten as (
    select * from int_current_gemeenten
),

region_gemeenten as (
    select * from int_region_gemeenten
),

indeling as (
    select * from stg_district_indeling
),

filters as (
    select * from stg_indicator_filters
),

params as (
    select * from build_params
),

-- every source's facts in one table (their staging models share these columns; Halt has more)
delivered as (
    select * from misdrijven
    union all by name
    select * from incidenten
    union all by name
    select * from halt
    union all by name
    select * from riec
    union all by name
    select * from veiligheidshuis
    union all by name
    select * from burgernet
),

facts as (
    select
        source,
        area_code,
        gemeente_code,
        category,
        subcategory,
        period,
        period_type,
        value,
    from delivered
),

numbered as (
    select
        *,
        row_number() over () as fact_id,
    from facts
),

-- a count of a gemeente that was split goes to its successors by their share: each gets the
-- share rounded down, and the units left over go one by one to the largest remainders (ties:
-- lowest code), so the successors always add up to the count delivered
to_successors as (
    select
        numbered.*,
        current_gemeenten.current_code,
        numbered.value * current_gemeenten.share as exact,
        floor(numbered.value * current_gemeenten.share) as rounded_down,
        count(*) over (partition by numbered.fact_id) as n_successors,
    from numbered
    inner join current_gemeenten on numbered.gemeente_code = current_gemeenten.gemeente_code
),

whole as (
    select * exclude (exact, rounded_down, n_successors)
    from to_successors
    where n_successors = 1
),

split as (
    select
        * exclude (value, exact, rounded_down, n_successors),
        cast(
            rounded_down
            + case
                when
                    row_number() over (partition by fact_id order by exact - rounded_down desc, current_code)
                    <= any_value(value) over (partition by fact_id) - sum(rounded_down) over (partition by fact_id)
                    then 1
                else 0
            end as bigint
        ) as value,
    from to_successors
    where n_successors > 1
),

-- a table's own total of the region (eenheid or country) is kept as the area of that code
region_totals as (
    select
        facts.*,
        facts.area_code as current_code,
        cast(null as varchar) as gemeente_district,
    from facts
    cross join params
    where facts.gemeente_code is null and facts.area_code = params.region
),

harmonised as (
    select
        successors.*,
        region_gemeenten.district_code as gemeente_district,
    from (
        select * from whole
        union all by name
        select * from split
    ) as successors
    inner join region_gemeenten on successors.current_code = region_gemeenten.gemeente_code
    union all by name
    select * from region_totals
),

with_district as (
    select
        harmonised.*,
        coalesce(harmonised.gemeente_district, wijk_indeling.district_code) as district_code,
    from harmonised
    left join indeling as wijk_indeling
        on
            harmonised.gemeente_district is null
            and harmonised.area_code similar to '(WK|BU).*'
            and wijk_indeling.area_code = 'WK' || substr(harmonised.area_code, 3, 6)
),

-- a source's own total of the region stands for an indicator of one police code only: for a
-- sum of codes (high impact crime) it would hold just the codes that came with a total
one_code_indicators as (
    select indicator_code from filters
    group by indicator_code
    having count(*) = 1
),

final as (
    select
        filters.indicator_code,
        with_district.source,
        with_district.current_code as gemeente_code,
        with_district.district_code,
        -- a gemeente's own total, or its wijken/buurten (both may come, from two tables)
        case when with_district.area_code similar to '(WK|BU).*' then 'wijk' else 'gemeente' end as area_detail,
        with_district.period,
        with_district.period_type,
        cast(sum(with_district.value) as bigint) as value,
    from with_district
    inner join filters
        on
            filters.source = with_district.source
            and (filters.category = '*' or filters.category = with_district.category)
            and (filters.subcategory = '*' or filters.subcategory = with_district.subcategory)
    where
        with_district.gemeente_code is not null
        or filters.indicator_code in (select one_code_indicators.indicator_code from one_code_indicators)
    group by all
)

select * from final
