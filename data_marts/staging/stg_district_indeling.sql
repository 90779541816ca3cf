-- Which gemeente (or wijk, for a gemeente split over districts) lies in which district, in which years.
with source as (
    select * from ref_district_indeling
),

final as (
    select
        gebied_code as area_code,
        district_code,
        van_jaar as from_year,
        tot_jaar as to_year,
    from source
)

select * from final
