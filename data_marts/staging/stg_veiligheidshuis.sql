-- Persons in the Veiligheidshuis approach, per period, gemeente and target group.
with source as (
    select * from raw.raw_veiligheidshuis
),

final as (
    select
        -- ids
        'veiligheidshuis' as source,
        gemeente_code as area_code,
        gemeente_code,
        -- dimensions
        doelgroep as category,
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
