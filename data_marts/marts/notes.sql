-- The notes that go with this edition: written for it or an earlier one, not retired by it, about
-- an indicator and an area it publishes ('alle': every area), for periods that overlap the periods
-- it shows. A note stays in later editions as long as that holds; a published edition keeps its own.
with notes as (
    select * from stg_notes
),

params as (
    select * from build_params
),

published as (
    select distinct
        indicator_code,
        indicator_label,
    from indicator_values
),

areas as (
    select distinct area_code from indicator_values
),

shown as (
    select min(period_start_of(period)) as first_day from indicator_values
),

final as (
    select
        params.edition,
        notes.note_id,
        notes.indicator_code,
        published.indicator_label,
        notes.area_code,
        notes.first_period,
        notes.last_period,
        notes.note_text,
        notes.author,
        notes.written_on,
        notes.written_for_edition,
    from notes
    cross join params
    cross join shown
    inner join published on notes.indicator_code = published.indicator_code
    where
        (notes.area_code = 'alle' or notes.area_code in (select areas.area_code from areas))
        and period_end_of(notes.written_for_edition) <= period_end_of(params.edition)
        and (
            notes.retired_from_edition is null
            or period_end_of(notes.retired_from_edition) > period_end_of(params.edition)
        )
        and period_start_of(notes.first_period) <= period_end_of(params.edition)
        and period_end_of(notes.last_period) >= shown.first_day
)

select * from final
order by note_id
