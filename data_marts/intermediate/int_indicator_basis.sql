-- One figure per level (gemeente, district, eenheid), area, period and indicator, before
-- suppression and comparisons. A figure is missing (value null, with `missing_reason`) when:
-- - a source did not deliver the gemeente for (part of) the period (`ref_niet_aangeleverd`,
--   see pipeline/validate/coverage.py): then also its district and the eenheid have no figure;
-- - a district holds part of Rotterdam and Rotterdam's figure of that period has no wijk detail,
--   so it cannot be split over the districts.
-- When a gemeente table and buurt rows come for the same period, the gemeente totals make the
-- gemeenten and the eenheid, the buurten the districts of a split gemeente (Rotterdam), and what
-- a gemeente has beyond its buurten is a row of its own ('zonder buurt').
with alle_feiten as (
    select * from int_feiten_periode
),

params as (
    select * from build_params
),

regio as (
    select * from int_regio_gemeenten
),

niveaus as (
    select
        indicator_code,
        gemeente_code,
        period,
        bool_or(niveau = 'gemeente') as heeft_totaal,
        bool_or(niveau = 'wijk') as heeft_wijken,
    from alle_feiten
    group by all
),

gemeente_feiten as (
    select
        alle_feiten.*,
        niveaus.heeft_totaal,
        niveaus.heeft_wijken,
        regio.district_code is null as verdeeld,
    from alle_feiten
    cross join params
    inner join niveaus
        on
            alle_feiten.indicator_code = niveaus.indicator_code
            and alle_feiten.gemeente_code = niveaus.gemeente_code
            and alle_feiten.period = niveaus.period
    left join regio on alle_feiten.gemeente_code = regio.gemeente_code
    where alle_feiten.gemeente_code <> params.region
),

-- the figures of gemeenten and the eenheid: a gemeente's own total when there is one
feiten as (
    select * from gemeente_feiten
    where niveau = 'gemeente' or not heeft_totaal
),

-- the figures of districts: a gemeente split over districts by its wijken when there are
district_feiten as (
    select * from gemeente_feiten
    where
        case
            when verdeeld then niveau = 'wijk' or not heeft_wijken
            else niveau = 'gemeente' or not heeft_totaal
        end
),

bron_totaal as (
    select
        alle_feiten.indicator_code,
        alle_feiten.period,
        alle_feiten.period_type,
        sum(alle_feiten.aantal) as aantal,
    from alle_feiten
    cross join params
    where alle_feiten.gemeente_code = params.region
    group by all
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

-- a gemeente split over districts (Rotterdam in RE07) is one whose wijken the district indeling lists
split_districten as (
    select distinct
        'GM' || substr(gebied_code, 3, 4) as gemeente_code,
        district_code,
    from indeling
    where gebied_code like 'WK%'
),

onverdeeld as (
    select distinct
        gemeente_code,
        indicator_code,
        period,
    from district_feiten
    where gemeente_code in (select split_districten.gemeente_code from split_districten) and district_code is null
),

onverdeeld_district as (
    select
        split_districten.district_code,
        onverdeeld.indicator_code,
        onverdeeld.period,
        string_agg(distinct regio.gemeente_naam, ', ' order by regio.gemeente_naam) as gemeenten,
    from onverdeeld
    inner join split_districten on split_districten.gemeente_code = onverdeeld.gemeente_code
    inner join regio on regio.gemeente_code = onverdeeld.gemeente_code
    group by all
),

indicator_periods as (
    select distinct
        feiten.indicator_code,
        feiten.bron,
        feiten.period,
        feiten.period_type,
    from feiten
),

-- a month not delivered leaves its half-year and year without a figure, a half-year its year
niet_aangeleverd as (
    select distinct
        bron,
        gemeente_code,
        period,
    from (
        select
            bron,
            gemeente_code,
            case
                when length(periode) = 7
                    then substr(periode, 1, 4) || 'H' || case when cast(substr(periode, 6, 2) as integer) <= 6 then '1' else '2' end
                when length(periode) = 6 then periode
            end as period,
        from ref_niet_aangeleverd
        union all
        select
            bron,
            gemeente_code,
            substr(periode, 1, 4) as period,
        from ref_niet_aangeleverd
    ) as per_periode
    where period is not null
),

district_niet_aangeleverd as (
    select distinct
        niet_aangeleverd.bron,
        regio.district_code,
        niet_aangeleverd.period,
    from niet_aangeleverd
    inner join regio on niet_aangeleverd.gemeente_code = regio.gemeente_code
    where regio.district_code is not null
    union
    select
        niet_aangeleverd.bron,
        split_districten.district_code,
        niet_aangeleverd.period,
    from niet_aangeleverd
    inner join split_districten on split_districten.gemeente_code = niet_aangeleverd.gemeente_code
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
        case when any_value(niet_aangeleverd.gemeente_code) is null then coalesce(sum(feiten.aantal), 0) end as value,
        case when any_value(niet_aangeleverd.gemeente_code) is not null then 'niet aangeleverd' end as missing_reason,
    from gemeente_grid
    left join feiten
        on
            gemeente_grid.gemeente_code = feiten.gemeente_code
            and gemeente_grid.indicator_code = feiten.indicator_code
            and gemeente_grid.period = feiten.period
    left join niet_aangeleverd
        on
            gemeente_grid.gemeente_code = niet_aangeleverd.gemeente_code
            and gemeente_grid.bron = niet_aangeleverd.bron
            and gemeente_grid.period = niet_aangeleverd.period
    group by all
),

district_grid as (
    select
        districten.district_code,
        districten.district_naam,
        indicator_periods.*,
        case
            when onverdeeld_district.gemeenten is not null
                then onverdeeld_district.gemeenten || ' niet per wijk aangeleverd'
            when exists (
                    select 1
                    from district_niet_aangeleverd
                    where
                        district_niet_aangeleverd.district_code = districten.district_code
                        and district_niet_aangeleverd.bron = indicator_periods.bron
                        and district_niet_aangeleverd.period = indicator_periods.period
                )
                then 'niet aangeleverd'
        end as missing_reason,
    from districten
    cross join indicator_periods
    left join onverdeeld_district
        on
            onverdeeld_district.district_code = districten.district_code
            and onverdeeld_district.indicator_code = indicator_periods.indicator_code
            and onverdeeld_district.period = indicator_periods.period
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
        case
            when any_value(district_grid.missing_reason) is null then coalesce(sum(district_feiten.aantal), 0)
        end as value,
        any_value(district_grid.missing_reason) as missing_reason,
    from district_grid
    left join district_feiten
        on
            district_grid.district_code = district_feiten.district_code
            and district_grid.indicator_code = district_feiten.indicator_code
            and district_grid.period = district_feiten.period
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
        -- the source's own total when it delivered one (it includes what no gemeente holds)
        coalesce(
            any_value(bron_totaal.aantal),
            case when any_value(eenheid_niet_aangeleverd.bron) is null then sum(feiten.aantal) end
        ) as value,
        case
            when any_value(bron_totaal.aantal) is null and any_value(eenheid_niet_aangeleverd.bron) is not null
                then 'niet aangeleverd'
        end as missing_reason,
    from feiten
    cross join params
    left join bron_totaal
        on
            feiten.indicator_code = bron_totaal.indicator_code
            and feiten.period = bron_totaal.period
    left join (
        select distinct
            bron,
            period,
        from niet_aangeleverd
    ) as eenheid_niet_aangeleverd
        on
            feiten.bron = eenheid_niet_aangeleverd.bron
            and feiten.period = eenheid_niet_aangeleverd.period
    group by all
),

-- what the source's own total holds beyond its gemeenten: Σ gemeenten + this = eenheid
niet_toe_te_delen as (
    select
        'niet toe te delen' as level,
        params.region || '-NTD' as area_code,
        'Niet aan een gemeente toe te delen' as area_name,
        cast(null as varchar) as district_code,
        bron_totaal.indicator_code,
        bron_totaal.period,
        bron_totaal.period_type,
        bron_totaal.aantal - gemeenten.value as value,
        cast(null as varchar) as missing_reason,
    from bron_totaal
    cross join params
    inner join (
        select
            indicator_code,
            period,
            case when count(value) = count(*) then sum(value) end as value,
        from per_gemeente
        group by all
    ) as gemeenten
        on
            bron_totaal.indicator_code = gemeenten.indicator_code
            and bron_totaal.period = gemeenten.period
),

-- what a gemeente's own total has beyond its buurten (crimes without a buurt), for a gemeente
-- delivered both ways; not for sensitive codes, where it would be a small published number
zonder_buurt as (
    select
        'niet toe te delen' as level,
        gemeente_feiten.gemeente_code || '-ZB' as area_code,
        any_value(regio.gemeente_naam) || ': zonder buurt' as area_name,
        any_value(regio.district_code) as district_code,
        gemeente_feiten.indicator_code,
        gemeente_feiten.period,
        gemeente_feiten.period_type,
        sum(case when gemeente_feiten.niveau = 'gemeente' then gemeente_feiten.aantal else -gemeente_feiten.aantal end)
            as value,
        cast(null as varchar) as missing_reason,
    from gemeente_feiten
    inner join regio on gemeente_feiten.gemeente_code = regio.gemeente_code
    inner join indicatoren on gemeente_feiten.indicator_code = indicatoren.indicator_code
    where
        gemeente_feiten.heeft_totaal and gemeente_feiten.heeft_wijken
        and indicatoren.gevoeligheid <> 'gevoelig'
    group by all
),

counts as (
    select * from per_gemeente
    union all
    select * from per_district
    union all
    select * from per_eenheid
    union all
    select * from niet_toe_te_delen
    union all
    select * from zonder_buurt
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
        deelnemers.missing_reason,
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
        coalesce(acties.missing_reason, succes.missing_reason) as missing_reason,
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
        combined.missing_reason,
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
