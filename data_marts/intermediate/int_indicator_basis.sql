-- One figure per level (gemeente, district, eenheid), area, period and indicator, before
-- suppression and comparisons. Districts that hold part of Rotterdam are left out for a period
-- when Rotterdam's figure of that period cannot be split over districts (no wijk detail).
with feiten as (
    select * from int_feiten_periode
),

regio as (
    select * from int_regio_gemeenten
),

districten as (
    select districten.*
    from ref_districten as districten
    inner join build_params on districten.eenheid_code = build_params.region
),

indeling as (
    select * from ref_district_indeling
),

bevolking as (
    select * from int_bevolking
),

indicatoren as (
    select * from ref_indicatoren
),

params as (
    select * from build_params
),

rotterdam_districten as (
    select distinct district_code from indeling
    where gebied_code like 'WK0599%'
),

onverdeeld as (
    select distinct
        indicator_code,
        period,
    from feiten
    where gemeente_code = 'GM0599' and district_code is null
),

indicator_periods as (
    select distinct
        indicator_code,
        period,
        period_type,
    from feiten
),

-- every gemeente of the region gets a figure for every period a source delivered: no row is 0
gemeente_grid as (
    select
        regio.gemeente_code,
        regio.gemeente_naam,
        regio.district_code,
        indicator_periods.*,
    from regio
    cross join indicator_periods
),

per_gemeente as (
    select
        'gemeente' as level,
        gemeente_grid.gemeente_code as area_code,
        gemeente_grid.gemeente_naam as area_name,
        gemeente_grid.district_code,
        gemeente_grid.indicator_code,
        gemeente_grid.period,
        gemeente_grid.period_type,
        coalesce(sum(feiten.aantal), 0) as value,
    from gemeente_grid
    left join feiten
        on
            feiten.gemeente_code = gemeente_grid.gemeente_code
            and feiten.indicator_code = gemeente_grid.indicator_code
            and feiten.period = gemeente_grid.period
    group by all
),

district_grid as (
    select
        districten.district_code,
        districten.district_naam,
        indicator_periods.*,
    from districten
    cross join indicator_periods
    where not exists (
            select 1
            from onverdeeld
            where
                onverdeeld.indicator_code = indicator_periods.indicator_code
                and onverdeeld.period = indicator_periods.period
                and districten.district_code in (select rotterdam_districten.district_code from rotterdam_districten)
        )
),

per_district as (
    select
        'district' as level,
        district_grid.district_code as area_code,
        district_grid.district_naam as area_name,
        district_grid.district_code,
        district_grid.indicator_code,
        district_grid.period,
        district_grid.period_type,
        coalesce(sum(feiten.aantal), 0) as value,
    from district_grid
    left join feiten
        on
            feiten.district_code = district_grid.district_code
            and feiten.indicator_code = district_grid.indicator_code
            and feiten.period = district_grid.period
    group by all
),

per_eenheid as (
    select
        'eenheid' as level,
        params.region as area_code,
        params.region_name as area_name,
        cast(null as varchar) as district_code,
        feiten.indicator_code,
        feiten.period,
        feiten.period_type,
        sum(feiten.aantal) as value,
    from feiten
    cross join params
    group by all
),

counts as (
    select * from per_gemeente
    union all
    select * from per_district
    union all
    select * from per_eenheid
),

ratios as (
    select
        deelnemers.level,
        deelnemers.area_code,
        deelnemers.area_name,
        deelnemers.district_code,
        'B_DEKKING' as indicator_code,
        deelnemers.period,
        deelnemers.period_type,
        100.0 * deelnemers.value / bevolking.inwoners as value,
    from counts as deelnemers
    inner join bevolking
        on
            bevolking.level = deelnemers.level
            and bevolking.area_code = deelnemers.area_code
            and bevolking.jaar = cast(substr(deelnemers.period, 1, 4) as integer)
    where deelnemers.indicator_code = 'B_DEELNEMERS'
    union all
    select
        acties.level,
        acties.area_code,
        acties.area_name,
        acties.district_code,
        'B_SUCCES_PCT' as indicator_code,
        acties.period,
        acties.period_type,
        case when acties.value > 0 then 100.0 * succes.value / acties.value end as value,
    from counts as acties
    inner join counts as succes
        on
            succes.level = acties.level
            and succes.area_code = acties.area_code
            and succes.period = acties.period
            and succes.indicator_code = 'B_ACTIES_SUCCESVOL'
    where acties.indicator_code = 'B_ACTIES'
),

combined as (
    select
        *,
        cast(value as double) as value_d,
    from counts
    union all
    select
        *,
        cast(value as double) as value_d,
    from ratios
),

final as (
    select
        params.edition,
        combined.level,
        combined.area_code,
        combined.area_name,
        combined.district_code,
        combined.period,
        combined.period_type,
        cast(substr(combined.period, 1, 4) as integer) as jaar,
        combined.indicator_code,
        combined.value_d as value,
        case indicatoren.noemer
            when 'inwoners' then bevolking.inwoners
            when 'jongeren_12_17' then bevolking.jongeren
        end as denominator,
        bevolking.inwoners,
        indicatoren.gevoeligheid = 'gevoelig' as sensitive,
        indicatoren.eenheid as unit,
        indicatoren.aggregatie,
        indicatoren.bron,
    from combined
    inner join indicatoren using (indicator_code)
    cross join params
    left join bevolking
        on
            bevolking.level = combined.level
            and bevolking.area_code = combined.area_code
            and bevolking.jaar = cast(substr(combined.period, 1, 4) as integer)
)

select * from final
