-- Figures of periods that this edition and the previous published edition both hold, where the
-- number changed (police figures are provisional and get revised; partners re-deliver).
with huidig as (
    select * from indicator_values
),

vorig as (
    select * from vorige.indicator_values
),

final as (
    select
        huidig.edition,
        vorig.edition as previous_edition,
        huidig.level,
        huidig.area_code,
        huidig.area_name,
        huidig.period,
        huidig.period_type,
        huidig.indicator_code,
        huidig.indicator_label,
        vorig.display_value as previous_display_value,
        huidig.display_value,
        vorig.value as previous_value,
        huidig.value,
        huidig.value - vorig.value as revision,
    from huidig
    inner join vorig
        on
            vorig.level = huidig.level
            and vorig.area_code = huidig.area_code
            and vorig.period = huidig.period
            and vorig.indicator_code = huidig.indicator_code
    where huidig.display_value is distinct from vorig.display_value
    order by huidig.indicator_code, huidig.level, huidig.area_code, huidig.period
)

select * from final
