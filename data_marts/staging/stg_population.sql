-- Inhabitants and youths (12-17) per gemeente and year (CBS).
with source as (
    select * from ref_bevolking
),

final as (
    select
        gemeente_code,
        jaar as year,
        inwoners,
        inwoners_12_17,
    from source
)

select * from final
