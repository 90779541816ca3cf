-- The districts of every eenheid.
with source as (
    select * from ref_districten
),

final as (
    select
        district_code,
        district_naam as district_name,
        eenheid_code,
    from source
)

select * from final
