-- RIEC signals and integral cases, one row per measure (signalen, casussen) and theme.
with source as (
    select * from raw.raw_riec
),

unpivoted as (
    unpivot source
    on signalen, casussen
    into name maatstaf value aantal
),

final as (
    select
        -- ids
        'riec' as bron,
        gemeente_code as gebied_code,
        gemeente_code,
        -- dimensions
        maatstaf as categorie,
        thema as subcategorie,
        periode,
        periode_soort_van(periode) as periode_soort,
        -- measures
        cast(aantal as bigint) as aantal,
        -- lineage
        load_id,
    from unpivoted
)

select * from final
