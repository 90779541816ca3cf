-- Veiligheidsmonitor estimates as delivered: per wave, area and indicator, with margin.
with source as (
    select * from raw.raw_veiligheidsmonitor
),

final as (
    select
        -- ids
        gebied_code,
        gemeente_code,
        indicator_code,
        -- dimensions
        periode,
        eenheid,
        -- measures
        cast(waarde as double) as waarde,
        cast(marge as double) as marge,
        cast(respons as bigint) as respons,
        -- lineage
        load_id,
    from source
)

select * from final
