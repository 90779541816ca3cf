-- politie_incidenten as delivered: one row per period, area (gemeente, wijk or buurt) and code.
with source as (
    select * from raw.raw_politie_incidenten
),

final as (
    select
        -- ids
        'politie_incidenten' as bron,
        gebied_code,
        gemeente_code,
        -- dimensions
        soort_code as categorie,
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
