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
        'burgernet' as source,
        gemeente_code as area_code,
        gemeente_code,
        -- dimensions
        maatstaf as category,
        cast(null as varchar) as subcategory,
        periode as period,
        period_type_of(periode) as period_type,
        -- measures
        cast(aantal as bigint) as value,
        -- lineage
        load_id,
    from unpivoted
)

select * from final
