-- Mergers and splits: which share of an old gemeente went to a new one, from which year.
with source as (
    select * from ref_herindelingen
),

final as (
    select
        oud_code as old_code,
        nieuw_code as new_code,
        jaar as year,
        aandeel as share,
    from source
)

select * from final
