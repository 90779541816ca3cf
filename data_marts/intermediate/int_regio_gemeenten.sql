-- The gemeenten of the region in the current indeling (every edition's history is harmonised to
-- it), with their district (none for Rotterdam: it is split over districts by wijk).
with leden as (
    select * from ref_regio_leden
),

params as (
    select * from build_params
),

gemeenten as (
    select * from ref_gemeenten
),

indeling as (
    select * from ref_district_indeling
),

final as (
    select
        leden.gemeente_code,
        gemeenten.gemeente_naam,
        indeling.district_code,
    from leden
    inner join params on leden.jaar = params.indeling_year
    inner join gemeenten on gemeenten.gemeente_code = leden.gemeente_code
    left join indeling
        on
            indeling.gebied_code = leden.gemeente_code
            and params.indeling_year between indeling.van_jaar and coalesce(indeling.tot_jaar, 9999)
)

select * from final
