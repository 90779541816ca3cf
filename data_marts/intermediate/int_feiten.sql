-- All counts of all sources, harmonised to the current indeling, restricted to the region,
-- mapped to a district (per wijk for Rotterdam, per gemeente elsewhere) and to indicators.
-- A police table's own total of the region stays as an area with the region's code (RE07, NL),
-- for the indicators that are one police code.
with misdrijven as (
    select * from stg_politie_misdrijven
),

incidenten as (
    select * from stg_politie_incidenten
),

halt as (
    select * from stg_halt
),

riec as (
    select * from stg_riec
),

veiligheidshuis as (
    select * from stg_veiligheidshuis
),

burgernet as (
    select * from stg_burgernet
),

huidig as (
    select * from int_gemeente_huidig
),

regio as (
    select * from int_regio_gemeenten
),

indeling as (
    select * from ref_district_indeling
),

filters as (
    select * from ref_indicator_filters
),

params as (
    select * from build_params
),

feiten as (
    select
        bron,
        gebied_code,
        gemeente_code,
        categorie,
        subcategorie,
        periode,
        periode_soort,
        aantal
    from misdrijven
    union all
    select
        bron,
        gebied_code,
        gemeente_code,
        categorie,
        subcategorie,
        periode,
        periode_soort,
        aantal
    from incidenten
    union all
    select
        bron,
        gebied_code,
        gemeente_code,
        categorie,
        subcategorie,
        periode,
        periode_soort,
        aantal
    from halt
    union all
    select
        bron,
        gebied_code,
        gemeente_code,
        categorie,
        subcategorie,
        periode,
        periode_soort,
        aantal
    from riec
    union all
    select
        bron,
        gebied_code,
        gemeente_code,
        categorie,
        subcategorie,
        periode,
        periode_soort,
        aantal
    from veiligheidshuis
    union all
    select
        bron,
        gebied_code,
        gemeente_code,
        categorie,
        subcategorie,
        periode,
        periode_soort,
        aantal
    from burgernet
),

numbered as (
    select
        *,
        row_number() over () as feit_id,
    from feiten
),

-- a count of a gemeente that was split goes to its successors by their share: each gets the
-- share rounded down, and the units left over go one by one to the largest remainders (ties:
-- lowest code), so the successors always add up to the count delivered
to_successors as (
    select
        numbered.*,
        huidig.huidige_code,
        numbered.aantal * huidig.aandeel as exact,
        floor(numbered.aantal * huidig.aandeel) as rounded_down,
        count(*) over (partition by numbered.feit_id) as n_successors,
    from numbered
    inner join huidig on numbered.gemeente_code = huidig.gemeente_code
),

whole as (
    select * exclude (exact, rounded_down, n_successors)
    from to_successors
    where n_successors = 1
),

split as (
    select
        * exclude (aantal, exact, rounded_down, n_successors),
        cast(
            rounded_down
            + case
                when
                    row_number() over (partition by feit_id order by exact - rounded_down desc, huidige_code)
                    <= any_value(aantal) over (partition by feit_id) - sum(rounded_down) over (partition by feit_id)
                    then 1
                else 0
            end as bigint
        ) as aantal,
    from to_successors
    where n_successors > 1
),

-- a table's own total of the region (eenheid or country) is kept as the area of that code
region_totals as (
    select
        feiten.*,
        feiten.gebied_code as huidige_code,
        cast(null as varchar) as gemeente_district,
    from feiten
    cross join params
    where feiten.gemeente_code is null and feiten.gebied_code = params.region
),

harmonised as (
    select
        successors.*,
        regio.district_code as gemeente_district,
    from (
        select * from whole
        union all by name
        select * from split
    ) as successors
    inner join regio on successors.huidige_code = regio.gemeente_code
    union all by name
    select * from region_totals
),

with_district as (
    select
        harmonised.*,
        coalesce(harmonised.gemeente_district, wijk_indeling.district_code) as district_code,
    from harmonised
    left join indeling as wijk_indeling
        on
            harmonised.gemeente_district is null
            and harmonised.gebied_code similar to '(WK|BU).*'
            and wijk_indeling.gebied_code = 'WK' || substr(harmonised.gebied_code, 3, 6)
),

-- a source's own total of the region stands for an indicator of one police code only: for a
-- sum of codes (high impact crime) it would hold just the codes that came with a total
one_code_indicators as (
    select indicator_code from filters
    group by indicator_code
    having count(*) = 1
),

final as (
    select
        filters.indicator_code,
        with_district.bron,
        with_district.huidige_code as gemeente_code,
        with_district.district_code,
        -- a gemeente's own total, or its wijken/buurten (both may come, from two tables)
        case when with_district.gebied_code similar to '(WK|BU).*' then 'wijk' else 'gemeente' end as niveau,
        with_district.periode,
        with_district.periode_soort,
        cast(sum(with_district.aantal) as bigint) as aantal,
    from with_district
    inner join filters
        on
            filters.bron = with_district.bron
            and (filters.categorie = '*' or filters.categorie = with_district.categorie)
            and (filters.subcategorie = '*' or filters.subcategorie = with_district.subcategorie)
    where
        with_district.gemeente_code is not null
        or filters.indicator_code in (select one_code_indicators.indicator_code from one_code_indicators)
    group by all
)

select * from final
