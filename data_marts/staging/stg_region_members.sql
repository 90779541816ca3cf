-- The gemeenten of the region per year.
with source as (
    select * from ref_regio_leden
),

final as (
    select
        gemeente_code,
        jaar as year,
    from source
)

select * from final
