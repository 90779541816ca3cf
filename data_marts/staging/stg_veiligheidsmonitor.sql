-- Veiligheidsmonitor estimates as delivered: per wave, area and indicator, with margin.
with source as (
    select * from raw.raw_veiligheidsmonitor
),

final as (
    select
        -- ids
        gebied_code as area_code,
        gemeente_code,
        indicator_code,
        -- dimensions
        periode as period,
        eenheid as unit,
        -- measures
        cast(waarde as double) as value,
        cast(marge as double) as margin,
        cast(respons as bigint) as response,
        -- lineage
        load_id,
    from source
)

select * from final
