-- The wijken with their inhabitants (to split a gemeente over districts).
with source as (
    select * from ref_wijken
),

final as (
    select
        wijk_code,
        gemeente_code,
        inwoners_2024,
    from source
)

select * from final
