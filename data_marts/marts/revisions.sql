-- Figures of periods that this edition and the previous published edition both hold, where the
-- number changed (police figures are provisional and get revised; partners re-deliver).
with this_edition as (
    select * from indicator_values
),

previous as (
    select * from previous_edition.indicator_values
),

final as (
    select
        this_edition.edition,
        previous.edition as previous_edition,
        this_edition.level,
        this_edition.area_code,
        this_edition.area_name,
        this_edition.period,
        this_edition.period_type,
        this_edition.indicator_code,
        this_edition.indicator_label,
        previous.display_value as previous_display_value,
        this_edition.display_value,
        previous.value as previous_value,
        this_edition.value,
        this_edition.value - previous.value as revision,
    from this_edition
    inner join previous
        on
            previous.level = this_edition.level
            and previous.area_code = this_edition.area_code
            and previous.period = this_edition.period
            and previous.indicator_code = this_edition.indicator_code
    where this_edition.display_value is distinct from previous.display_value
    order by this_edition.indicator_code, this_edition.level, this_edition.area_code, this_edition.period
)

select * from final
