-- The analysts' notes (duiding), as the latest delivery of the notes file holds them.
with source as (
    select * from raw.raw_duiding
),

final as (
    select
        -- ids
        id as note_id,
        indicator_code,
        gebied as area_code,
        -- dimensions
        eerste_periode as first_period,
        laatste_periode as last_period,
        editie as written_for_edition,
        ingetrokken as retired_from_edition,
        -- content
        tekst as note_text,
        auteur as author,
        datum as written_on,
        -- lineage
        load_id,
    from source
)

select * from final
