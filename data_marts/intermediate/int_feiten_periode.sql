-- Counts per half-year and year. Months roll up to half-years and years, half-years to years.
-- Where a source delivered the same figure at several grains (an annual StatLine total and
-- monthly extracts), the finest grain wins. Only complete periods up to the edition count;
-- stock figures (Burgernet participants) take the last month of the period instead of a sum.
with feiten as (
    select * from int_feiten
),

indicatoren as (
    select * from ref_indicatoren
),

params as (
    select * from build_params
),

expanded as (
    select
        *,
        cast(substr(periode, 1, 4) as integer) as jaar,
        case periode_soort
            when 'maand' then substr(periode, 1, 4) || 'H' || case when cast(substr(periode, 6, 2) as integer) <= 6 then '1' else '2' end
            when 'halfjaar' then periode
        end as halfjaar,
        case periode_soort when 'maand' then 1 when 'halfjaar' then 2 else 3 end as grain,
    from feiten
),

per_period as (
    select
        *,
        halfjaar as period,
        'halfjaar' as period_type
    from expanded
    where halfjaar is not null
    union all
    select
        *,
        cast(jaar as varchar) as period,
        'jaar' as period_type
    from expanded
),

finest as (
    select *
    from per_period
    qualify grain = min(grain) over (partition by bron, indicator_code, gemeente_code, period)
),

completeness as (
    select
        bron,
        period,
        period_type,
        grain,
        count(distinct periode) as delen,
    from finest
    group by all
),

complete as (
    select finest.*,
    from finest
    inner join completeness using (bron, period, period_type, grain)
    cross join params
    where
        (
            (finest.grain = 1 and completeness.delen = case finest.period_type when 'halfjaar' then 6 else 12 end)
            or (finest.grain = 2 and (finest.period_type = 'halfjaar' or completeness.delen = 2))
            or finest.grain = 3
        )
        and finest.jaar * 12 + case
            when finest.period_type = 'jaar' or finest.period like '%H2' then 12 else 6
        end <= params.edition_end_month
),

stock_indicators as (
    select indicator_code from indicatoren
    where aggregatie = 'stand_einde_periode'
),

counted as (
    select complete.*
    from complete
    left join stock_indicators on stock_indicators.indicator_code = complete.indicator_code
    -- flows count every month; a stock (Burgernet participants) only the period's last month
    qualify
        stock_indicators.indicator_code is null
        or complete.periode = max(complete.periode) over (
            partition by complete.indicator_code, complete.gemeente_code, complete.period
        )
),

final as (
    select
        indicator_code,
        bron,
        gemeente_code,
        district_code,
        niveau,
        period,
        period_type,
        cast(sum(aantal) as bigint) as aantal,
    from counted
    group by all
)

select * from final
