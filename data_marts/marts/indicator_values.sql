-- The public mart: one row per edition, level, area, period and indicator, with comparisons,
-- significance and suppression applied. This is the open-data contract (see README).
with basis as (
    select * from int_indicator_basis
),

suppression as (
    select * from int_suppression
),

indicators as (
    select * from stg_indicators
),

params as (
    select * from build_params
),

latest_police_month as (
    select max(period) as month from stg_politie_misdrijven
    where period_type = 'maand'
),

cells as (
    select
        basis.*,
        coalesce(suppression.suppressed, false) as suppressed,
        case when basis.unit = 'aantal' and basis.denominator > 0 then 1000.0 * basis.value / basis.denominator end as rate,
        substr(basis.period, 5) as period_suffix,
    from basis
    left join suppression using (level, area_code, period, indicator_code)
),

with_previous as (
    select
        cells.*,
        previous.value as prev_raw,
        previous.suppressed as prev_suppressed,
        previous.area_code is not null as prev_exists,
        previous.missing_reason as prev_missing_reason,
        coalesce(previous.denominator, previous.inwoners) as prev_exposure,
    from cells
    left join cells as previous
        on
            previous.level = cells.level
            and previous.area_code = cells.area_code
            and previous.indicator_code = cells.indicator_code
            and previous.period_type = cells.period_type
            and previous.period_suffix = cells.period_suffix
            and previous.year = cells.year - 1
),

history as (
    select
        cells.level,
        cells.area_code,
        cells.indicator_code,
        cells.period,
        count(earlier.value) as n_earlier,
        count(*) as n_earlier_periods,
        coalesce(bool_or(earlier.suppressed), false) as earlier_suppressed,
        avg(earlier.value) as avg_earlier,
    from cells
    inner join cells as earlier
        on
            earlier.level = cells.level
            and earlier.area_code = cells.area_code
            and earlier.indicator_code = cells.indicator_code
            and earlier.period_type = cells.period_type
            and earlier.period_suffix = cells.period_suffix
            and earlier.year between cells.year - 3 and cells.year - 1
    group by all
),

compared as (
    select
        with_previous.*,
        case when not with_previous.suppressed and not coalesce(with_previous.prev_suppressed, false) then with_previous.prev_raw end as prev_value,
        case
            when history.n_earlier = 3 and not history.earlier_suppressed and not with_previous.suppressed
                then history.avg_earlier
        end as avg_3y,
        coalesce(history.n_earlier_periods, 0) as n_earlier_periods,
        coalesce(history.n_earlier, 0) as n_earlier,
        case
            when
                with_previous.unit = 'aantal' and with_previous.aggregation = 'som'
                and not with_previous.suppressed and not coalesce(with_previous.prev_suppressed, false)
                and with_previous.value >= 0 and with_previous.prev_raw >= 0
                then poisson_p_value(
                        with_previous.prev_raw,
                        with_previous.value,
                        coalesce(with_previous.prev_exposure, 1),
                        coalesce(with_previous.denominator, with_previous.inwoners, 1)
                    )
        end as p_value,
    from with_previous
    left join history using (level, area_code, indicator_code, period)
),

changes as (
    select
        compared.*,
        compared.value - compared.prev_value as change_abs,
        -- a percentage changes by percentage points (change_abs); a relative change of a percentage misleads
        case
            when compared.unit = 'aantal' and compared.prev_value > 0
                then 100.0 * (compared.value - compared.prev_value) / compared.prev_value
        end as change_pct,
        compared.p_value < params.significance_level as significant,
    from compared
    cross join params
),

labelled as (
    select
        changes.*,
        case
            when changes.prev_value is null or changes.value is null or changes.suppressed then null
            -- only counts are tested (exact Poisson test); other units get no label rather than a guess
            when changes.p_value is null then null
            when not changes.significant then 'geen significante verandering'
            when changes.change_abs > 0
                then
                    case
                        when changes.prev_value = 0 or changes.change_pct >= params.strong_change_pct then 'sterke stijging'
                        else 'stijging'
                    end
            when changes.change_abs < 0
                then case when changes.change_pct <= -params.strong_change_pct then 'sterke daling' else 'daling' end
            else 'geen significante verandering'
        end as change_label,
    from changes
    cross join params
),

benchmarks as (
    select
        labelled.*,
        -- a hidden district or eenheid is hidden as a benchmark too (its rate times its population is its count)
        case
            when labelled.level = 'gemeente' and not district_row.suppressed then district_row.rate
            when labelled.level = 'district' and not labelled.suppressed then labelled.rate
        end as benchmark_district_rate,
        case when not eenheid_row.suppressed then eenheid_row.rate end as benchmark_eenheid_rate,
        case
            when labelled.level = 'district' then labelled.suppressed
            when labelled.level = 'gemeente' then district_row.suppressed
        end as district_suppressed,
        case
            when labelled.level = 'district' then labelled.denominator
            when labelled.level = 'gemeente' then district_row.denominator
        end as district_denominator,
        case
            when labelled.level = 'district' then labelled.missing_reason
            when labelled.level = 'gemeente' then district_row.missing_reason
        end as district_missing_reason,
        eenheid_row.suppressed as eenheid_suppressed,
        eenheid_row.denominator as eenheid_denominator,
        case
            when labelled.level = 'gemeente' and not labelled.suppressed and labelled.value is not null
                then rank() over (
                        partition by labelled.level, labelled.indicator_code, labelled.period, labelled.suppressed
                        order by coalesce(labelled.rate, labelled.value) desc
                    )
        end as rank_raw,
    from labelled
    left join cells as district_row
        on
            district_row.level = 'district'
            and district_row.area_code = labelled.district_code
            and district_row.indicator_code = labelled.indicator_code
            and district_row.period = labelled.period
    left join cells as eenheid_row
        on
            eenheid_row.level = 'eenheid'
            and eenheid_row.indicator_code = labelled.indicator_code
            and eenheid_row.period = labelled.period
),

final as (
    select
        benchmarks.edition,
        benchmarks.level,
        benchmarks.area_code,
        benchmarks.area_name,
        benchmarks.district_code,
        benchmarks.period,
        benchmarks.period_type,
        benchmarks.indicator_code,
        indicators.label as indicator_label,
        indicators.thema,
        benchmarks.unit,
        case when benchmarks.suppressed then null else benchmarks.value end as value,
        case
            when benchmarks.suppressed then 'afgeschermd'
            when benchmarks.value is null and benchmarks.missing_reason is not null
                then 'geen cijfer (' || benchmarks.missing_reason || ')'
            when benchmarks.value is null then 'geen cijfer'
            when benchmarks.unit = 'aantal' then replace(format('{:,}', cast(round(benchmarks.value) as bigint)), ',', '.')
            else replace(printf('%.1f', benchmarks.value), '.', ',')
        end as display_value,
        benchmarks.suppressed,
        case when benchmarks.suppressed then null else round(benchmarks.rate, 4) end as rate_per_1000,
        case indicators.denominator_kind
            when 'inwoners' then 'inwoners'
            when 'jongeren_12_17' then 'jongeren van 12–17 jaar'
        end as rate_denominator,
        -- the year of the population count (1 January) the rate divides by; after the newest CBS
        -- count that year's figure is carried forward, so it can be earlier than the period
        case when not benchmarks.suppressed and benchmarks.rate is not null then benchmarks.population_year end
            as rate_population_year,
        benchmarks.prev_value,
        case when benchmarks.suppressed then null else benchmarks.change_abs end as change_abs,
        case when benchmarks.suppressed then null else round(benchmarks.change_pct, 4) end as change_pct,
        case when benchmarks.suppressed then null else round(benchmarks.avg_3y, 4) end as avg_3y,
        benchmarks.change_label,
        -- why a comparison is empty, in words a reader can take at face value (README, "indicator_values")
        case
            when benchmarks.suppressed then 'afgeschermd'
            when benchmarks.value is null then 'geen cijfer'
            when benchmarks.prev_value is not null then null
            when coalesce(benchmarks.prev_suppressed, false) then 'afgeschermd'
            when not benchmarks.prev_exists then 'geen cijfer een jaar eerder'
            else 'geen cijfer een jaar eerder (' || coalesce(benchmarks.prev_missing_reason, 'niet aangeleverd') || ')'
        end as prev_empty_reason,
        case
            when benchmarks.suppressed then 'afgeschermd'
            when benchmarks.value is null then 'geen cijfer'
            when benchmarks.avg_3y is not null then null
            when benchmarks.n_earlier_periods < 3 then 'nog geen drie jaar'
            when benchmarks.n_earlier < 3 then 'geen cijfer in een van de drie jaren ervoor'
            else 'afgeschermd'
        end as avg_3y_empty_reason,
        case
            when benchmarks.suppressed then 'afgeschermd'
            when benchmarks.value is null then 'geen cijfer'
            when benchmarks.rate is not null then null
            else 'geen noemer'
        end as rate_empty_reason,
        benchmarks.significant,
        benchmarks.p_value,
        (
            benchmarks.source like 'politie_%'
            and benchmarks.year * 12 + case when benchmarks.period_type = 'jaar' or benchmarks.period like '%H2' then 12 else 6 end
            > cast(substr(latest_police_month.month, 1, 4) as integer) * 12 + cast(substr(latest_police_month.month, 6, 2) as integer) - 3
        ) as provisional,
        round(benchmarks.benchmark_district_rate, 4) as benchmark_district_rate,
        round(benchmarks.benchmark_eenheid_rate, 4) as benchmark_eenheid_rate,
        case
            when benchmarks.benchmark_district_rate is not null then null
            when benchmarks.level not in ('gemeente', 'district') then 'geen district'
            when benchmarks.level = 'gemeente' and benchmarks.district_code is null then 'verdeeld over districten'
            when benchmarks.district_suppressed then 'afgeschermd'
            when benchmarks.district_denominator is null and benchmarks.denominator is null then 'geen noemer'
            else 'geen cijfer' || coalesce(' (' || benchmarks.district_missing_reason || ')', '')
        end as benchmark_district_empty_reason,
        case
            when benchmarks.benchmark_eenheid_rate is not null then null
            when benchmarks.eenheid_suppressed then 'afgeschermd'
            when benchmarks.eenheid_denominator is null and benchmarks.denominator is null then 'geen noemer'
            else 'geen cijfer'
        end as benchmark_eenheid_empty_reason,
        benchmarks.rank_raw as rank,
        params.is_demo,
        indicators.target as target_value,
    from benchmarks
    inner join indicators using (indicator_code)
    cross join params
    cross join latest_police_month
    order by benchmarks.indicator_code, benchmarks.level, benchmarks.area_code, benchmarks.period_type, benchmarks.period
)

select * from final
