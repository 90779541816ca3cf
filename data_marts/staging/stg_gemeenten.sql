-- Every gemeente with the years it existed.
with source as (
    select * from ref_gemeenten
),

final as (
    select
        gemeente_code,
        gemeente_naam as gemeente_name,
        eerste_jaar as first_year,
        laatste_jaar as last_year,
    from source
)

select * from final
