-- The gemeenten of the region in the current indeling (every edition's history is harmonised to
-- it), with their district (none for Rotterdam: it is split over districts by wijk).
with members as (
    select * from stg_region_members
),

params as (
    select * from build_params
),

gemeenten as (
    select * from stg_gemeenten
),

indeling as (
    select * from stg_district_indeling
),

final as (
    select
        members.gemeente_code,
        gemeenten.gemeente_name,
        indeling.district_code,
    from members
    inner join params on members.year = params.indeling_year
    inner join gemeenten on gemeenten.gemeente_code = members.gemeente_code
    left join indeling
        on
            indeling.area_code = members.gemeente_code
            and params.indeling_year between indeling.from_year and coalesce(indeling.to_year, 9999)
)

select * from final
