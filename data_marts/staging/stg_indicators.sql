-- The indicator catalogue (pipeline/reference/data/indicatoren.csv) in the models' names.
with source as (
    select * from ref_indicatoren
),

final as (
    select
        indicator_code,
        label,
        thema,
        bron as source,
        eenheid as unit,
        noemer as denominator_kind,
        gevoeligheid as sensitivity,
        aggregatie as aggregation,
        streefwaarde as target,
    from source
)

select * from final
