-- Every gemeente code ever used, with the gemeente(n) that hold its area in the indeling the
-- edition is harmonised to, and the share of the area each holds: 1 after a merger or a code
-- change, the documented population shares after a split (they add up to 1 per code).
with recursive

gemeenten as (
    select * from ref_gemeenten
),

params as (
    select * from build_params
),

herindelingen as (
    select ref_herindelingen.*
    from ref_herindelingen
    cross join params
    where ref_herindelingen.jaar <= params.indeling_year
),

chain (gemeente_code, huidige_code, aandeel, stap) as (
    select
        gemeente_code,
        gemeente_code as huidige_code,
        1.0::double as aandeel,
        0 as stap,
    from gemeenten
    union all
    select
        chain.gemeente_code,
        herindelingen.nieuw_code,
        chain.aandeel * herindelingen.aandeel,
        chain.stap + 1,
    from chain
    inner join herindelingen on chain.huidige_code = herindelingen.oud_code
    where chain.stap < 10
),

final as (
    select
        gemeente_code,
        huidige_code,
        sum(aandeel) as aandeel,
    from chain
    where huidige_code not in (select herindelingen.oud_code from herindelingen)
    group by all
)

select * from final
