-- Inhabitants and youths (12-17) per gemeente and year (CBS), with the year of the 1 January
-- count each figure is (an estimate carries an earlier year's count forward) and its source.
with source as (
    select * from ref_bevolking
),

final as (
    select
        gemeente_code,
        jaar as year,
        inwoners,
        inwoners_12_17,
        peiljaar as population_year,
        bron as population_source,
    from source
)

select * from final
