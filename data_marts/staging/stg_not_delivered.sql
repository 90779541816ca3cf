-- The gemeente-periods a source did not deliver (pipeline/validate/coverage.py).
with source as (
    select * from ref_niet_aangeleverd
),

final as (
    select
        bron as source,
        periode as period,
        gemeente_code,
    from source
)

select * from final
