-- Inhabitants and youths (12-17) per area and year, on the current indeling:
-- a gemeente's figure before a merger is the sum of its predecessors; a district takes whole
-- gemeenten plus its share of the wijken of a gemeente split over districts (Rotterdam in RE07);
-- the eenheid is the sum of its gemeenten.
with bevolking as (
    select * from ref_bevolking
),

huidig as (
    select * from int_gemeente_huidig
),

regio as (
    select * from int_regio_gemeenten
),

wijken as (
    select * from ref_wijken
),

indeling as (
    select * from ref_district_indeling
),

params as (
    select * from build_params
),

per_gemeente as (
    select
        huidig.huidige_code as gemeente_code,
        bevolking.jaar,
        cast(round(sum(bevolking.inwoners * huidig.aandeel)) as bigint) as inwoners,
        cast(round(sum(bevolking.inwoners_12_17 * huidig.aandeel)) as bigint) as jongeren,
    from bevolking
    inner join huidig on huidig.gemeente_code = bevolking.gemeente_code
    inner join regio on regio.gemeente_code = huidig.huidige_code
    group by all
),

-- a gemeente split over districts is one whose wijken the district indeling lists
split_wijken as (
    select wijken.* from wijken
    where wijken.gemeente_code in (
            select distinct 'GM' || substr(indeling.gebied_code, 3, 4) from indeling
            where indeling.gebied_code like 'WK%'
        )
),

split_totaal as (
    select
        gemeente_code,
        sum(inwoners_2024) as inwoners_2024,
    from split_wijken
    group by all
),

split_aandeel as (
    select
        split_wijken.gemeente_code,
        indeling.district_code,
        sum(split_wijken.inwoners_2024) / any_value(split_totaal.inwoners_2024) as aandeel,
    from split_wijken
    inner join indeling on indeling.gebied_code = split_wijken.wijk_code
    inner join split_totaal on split_totaal.gemeente_code = split_wijken.gemeente_code
    group by all
),

per_district as (
    select
        regio.district_code,
        per_gemeente.jaar,
        sum(per_gemeente.inwoners) as inwoners,
        sum(per_gemeente.jongeren) as jongeren,
    from per_gemeente
    inner join regio on regio.gemeente_code = per_gemeente.gemeente_code
    where regio.district_code is not null
    group by all
    union all
    select
        split_aandeel.district_code,
        per_gemeente.jaar,
        per_gemeente.inwoners * split_aandeel.aandeel as inwoners,
        per_gemeente.jongeren * split_aandeel.aandeel as jongeren,
    from per_gemeente
    inner join split_aandeel on split_aandeel.gemeente_code = per_gemeente.gemeente_code
),

final as (
    select
        'gemeente' as level,
        gemeente_code as area_code,
        jaar,
        inwoners,
        jongeren,
    from per_gemeente
    union all
    select
        'district' as level,
        district_code as area_code,
        jaar,
        sum(inwoners) as inwoners,
        sum(jongeren) as jongeren,
    from per_district
    group by all
    union all
    select
        'eenheid' as level,
        params.region as area_code,
        per_gemeente.jaar,
        sum(per_gemeente.inwoners) as inwoners,
        sum(per_gemeente.jongeren) as jongeren,
    from per_gemeente
    cross join params
    group by all
)

select * from final
