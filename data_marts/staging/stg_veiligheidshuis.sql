-- Persons in the Veiligheidshuis approach, per period, gemeente and target group.
with source as (
    select * from raw.raw_veiligheidshuis
),

final as (
    select
        -- ids
        'veiligheidshuis' as bron,
        gemeente_code as gebied_code,
        gemeente_code,
        -- dimensions
        doelgroep as categorie,
        cast(null as varchar) as subcategorie,
        periode,
        periode_soort_van(periode) as periode_soort,
        -- measures
        cast(aantal as bigint) as aantal,
        -- lineage
        load_id,
    from source
)

select * from final
