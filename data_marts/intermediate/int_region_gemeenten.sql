-- The gemeenten of the region in the current indeling (every edition's history is harmonised to
-- it), with their district (none for Rotterdam: it is split over districts by wijk).
with members as (
    select
        gemeente_code,
        jaar as year,
    from ref_regio_leden
),

params as (
    select * from build_params
),

gemeenten as (
    select
        gemeente_code,
        gemeente_naam as gemeente_name,
        eerste_jaar as first_year,
        laatste_jaar as last_year,
    from ref_gemeenten
),

indeling as (
    select
        gebied_code as area_code,
        district_code,
        van_jaar as from_year,
        tot_jaar as to_year,
    from ref_district_indeling
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
