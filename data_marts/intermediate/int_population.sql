-- Inhabitants and youths (12-17) per area and year, on the current indeling:
-- a gemeente's figure before a merger is the sum of its predecessors; a district takes whole
-- gemeenten plus its share of the wijken of a gemeente split over districts (Rotterdam in RE07);
-- the eenheid is the sum of its gemeenten. `population_year` is the year of the 1 January count
-- used (the oldest one of an area's gemeenten: after the last CBS count it is carried forward).
with population as (
    select * from stg_population
),

current_gemeenten as (
    select * from int_current_gemeenten
),

region_gemeenten as (
    select * from int_region_gemeenten
),

wijken as (
    select * from stg_wijken
),

indeling as (
    select * from stg_district_indeling
),

params as (
    select * from build_params
),

per_gemeente as (
    select
        current_gemeenten.current_code as gemeente_code,
        population.year,
        cast(round(sum(population.inwoners * current_gemeenten.share)) as bigint) as inwoners,
        cast(round(sum(population.inwoners_12_17 * current_gemeenten.share)) as bigint) as jongeren,
        min(population.population_year) as population_year,
    from population
    inner join current_gemeenten on current_gemeenten.gemeente_code = population.gemeente_code
    inner join region_gemeenten on region_gemeenten.gemeente_code = current_gemeenten.current_code
    group by all
),

-- a gemeente split over districts is one whose wijken the district indeling lists
split_wijken as (
    select wijken.* from wijken
    where wijken.gemeente_code in (
            select distinct 'GM' || substr(indeling.area_code, 3, 4) from indeling
            where indeling.area_code like 'WK%'
        )
),

split_total as (
    select
        gemeente_code,
        sum(inwoners_2024) as inwoners_2024,
    from split_wijken
    group by all
),

split_share as (
    select
        split_wijken.gemeente_code,
        indeling.district_code,
        sum(split_wijken.inwoners_2024) / any_value(split_total.inwoners_2024) as share,
    from split_wijken
    inner join indeling on indeling.area_code = split_wijken.wijk_code
    inner join split_total on split_total.gemeente_code = split_wijken.gemeente_code
    group by all
),

per_district as (
    select
        region_gemeenten.district_code,
        per_gemeente.year,
        sum(per_gemeente.inwoners) as inwoners,
        sum(per_gemeente.jongeren) as jongeren,
        min(per_gemeente.population_year) as population_year,
    from per_gemeente
    inner join region_gemeenten on region_gemeenten.gemeente_code = per_gemeente.gemeente_code
    where region_gemeenten.district_code is not null
    group by all
    union all
    select
        split_share.district_code,
        per_gemeente.year,
        per_gemeente.inwoners * split_share.share as inwoners,
        per_gemeente.jongeren * split_share.share as jongeren,
        per_gemeente.population_year,
    from per_gemeente
    inner join split_share on split_share.gemeente_code = per_gemeente.gemeente_code
),

final as (
    select
        'gemeente' as level,
        gemeente_code as area_code,
        year,
        inwoners,
        jongeren,
        population_year,
    from per_gemeente
    union all
    select
        'district' as level,
        district_code as area_code,
        year,
        sum(inwoners) as inwoners,
        sum(jongeren) as jongeren,
        min(population_year) as population_year,
    from per_district
    group by all
    union all
    select
        'eenheid' as level,
        params.region as area_code,
        per_gemeente.year,
        sum(per_gemeente.inwoners) as inwoners,
        sum(per_gemeente.jongeren) as jongeren,
        min(per_gemeente.population_year) as population_year,
    from per_gemeente
    cross join params
    group by all
)

select * from final
