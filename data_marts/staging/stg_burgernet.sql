-- Burgernet per period and gemeente, one row per measure (participants are classic + app).
with source as (
    select
        *,
        deelnemers_klassiek + deelnemers_app as deelnemers,
    from raw.raw_burgernet
),

unpivoted as (
    unpivot source
    on deelnemers, acties, acties_succesvol, burgernet_mails
    into name maatstaf value aantal
),

final as (
    select
        -- ids
        'burgernet' as bron,
        gemeente_code as gebied_code,
        gemeente_code,
        -- dimensions
        maatstaf as categorie,
        cast(null as varchar) as subcategorie,
        periode,
        periode_soort_van(periode) as periode_soort,
        -- measures
        cast(aantal as bigint) as aantal,
        -- lineage
        load_id,
    from unpivoted
)

select * from final
