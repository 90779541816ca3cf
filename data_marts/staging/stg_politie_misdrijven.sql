-- politie_misdrijven as delivered: one row per period, area (gemeente, wijk or buurt) and code.
with source as (
    select * from raw.raw_politie_misdrijven
),

final as (
    select
        -- ids
        'politie_misdrijven' as source,
        gebied_code as area_code,
        gemeente_code,
        -- dimensions
        soort_code as category,
        cast(null as varchar) as subcategory,
        periode as period,
        period_type_of(periode) as period_type,
        -- measures
        cast(aantal as bigint) as value,
        -- lineage
        load_id,
    from source
)

select * from final
