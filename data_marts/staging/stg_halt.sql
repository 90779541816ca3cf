-- Halt referrals as delivered: per period, gemeente, delict group, age band and sex.
with source as (
    select * from raw.raw_halt
),

final as (
    select
        -- ids
        'halt' as bron,
        gemeente_code as gebied_code,
        gemeente_code,
        -- dimensions
        delictgroep as categorie,
        cast(null as varchar) as subcategorie,
        leeftijdsklasse,
        geslacht,
        periode,
        periode_soort_van(periode) as periode_soort,
        -- measures
        cast(aantal as bigint) as aantal,
        -- lineage
        load_id,
    from source
)

select * from final
