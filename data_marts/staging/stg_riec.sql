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
        'riec' as source,
        gemeente_code as area_code,
        gemeente_code,
        -- dimensions
        maatstaf as category,
        thema as subcategory,
        periode as period,
        period_type_of(periode) as period_type,
        -- measures
        cast(aantal as bigint) as value,
        -- lineage
        load_id,
    from unpivoted
)

select * from final
