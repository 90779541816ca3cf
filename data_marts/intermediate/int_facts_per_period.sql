-- Counts per half-year and year. Months roll up to half-years and years, half-years to years.
-- Where a source delivered the same figure at several grains (an annual StatLine total and
-- monthly extracts), the finest grain wins. Only complete periods up to the edition count;
-- stock figures (Burgernet participants) take the last month of the period instead of a sum.
with facts as (
    select * from int_facts
),

indicators as (
    select * from stg_indicators
),

params as (
    select * from build_params
),

-- the period and kind a fact was delivered in; `period` becomes the half-year or year it counts for
expanded as (
    select
        * exclude (period, period_type),
        period as delivered_period,
        period_type as delivered_period_type,
        cast(substr(period, 1, 4) as integer) as year,
        case period_type
            when 'maand' then substr(period, 1, 4) || 'H' || case when cast(substr(period, 6, 2) as integer) <= 6 then '1' else '2' end
            when 'halfjaar' then period
        end as half_year,
        case period_type when 'maand' then 1 when 'halfjaar' then 2 else 3 end as grain,
    from facts
),

per_period as (
    select
        *,
        half_year as period,
        'halfjaar' as period_type
    from expanded
    where half_year is not null
    union all
    select
        *,
        cast(year as varchar) as period,
        'jaar' as period_type
    from expanded
),

finest as (
    select *
    from per_period
    qualify grain = min(grain) over (partition by source, indicator_code, gemeente_code, period)
),

completeness as (
    select
        source,
        period,
        period_type,
        grain,
        count(distinct delivered_period) as parts,
    from finest
    group by all
),

complete as (
    select finest.*,
    from finest
    inner join completeness using (source, period, period_type, grain)
    cross join params
    where
        (
            (finest.grain = 1 and completeness.parts = case finest.period_type when 'halfjaar' then 6 else 12 end)
            or (finest.grain = 2 and (finest.period_type = 'halfjaar' or completeness.parts = 2))
            or finest.grain = 3
        )
        and finest.year * 12 + case
            when finest.period_type = 'jaar' or finest.period like '%H2' then 12 else 6
        end <= params.edition_end_month
),

stock_indicators as (
    select indicator_code from indicators
    where aggregation = 'stand_einde_periode'
),

counted as (
    select complete.*
    from complete
    left join stock_indicators on stock_indicators.indicator_code = complete.indicator_code
    -- flows count every month; a stock (Burgernet participants) only the period's last month
    qualify
        stock_indicators.indicator_code is null
        or complete.delivered_period = max(complete.delivered_period) over (
            partition by complete.indicator_code, complete.gemeente_code, complete.period
        )
),

final as (
    select
        indicator_code,
        source,
        gemeente_code,
        district_code,
        area_detail,
        period,
        period_type,
        cast(sum(value) as bigint) as value,
    from counted
    group by all
)

select * from final
