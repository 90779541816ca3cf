-- Halt referrals as delivered: per period, gemeente, delict group, age band and sex.
with source as (
    select * from raw.raw_halt
),

final as (
    select
        -- ids
        'halt' as source,
        gemeente_code as area_code,
        gemeente_code,
        -- dimensions
        delictgroep as category,
        cast(null as varchar) as subcategory,
        leeftijdsklasse,
        geslacht,
        periode as period,
        period_type_of(periode) as period_type,
        -- measures
        cast(aantal as bigint) as value,
        -- lineage
        load_id,
    from source
)

select * from final
