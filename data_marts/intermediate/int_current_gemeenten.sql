-- Every gemeente code ever used, with the gemeente(n) that hold its area in the indeling the
-- edition is harmonised to, and the share of the area each holds: 1 after a merger or a code
-- change, the documented population shares after a split (they add up to 1 per code).
with recursive

gemeenten as (
    select * from stg_gemeenten
),

params as (
    select * from build_params
),

herindelingen as (
    select stg_herindelingen.*
    from stg_herindelingen
    cross join params
    where stg_herindelingen.year <= params.indeling_year
),

chain (gemeente_code, current_code, share, step) as (
    select
        gemeente_code,
        gemeente_code as current_code,
        1.0::double as share,
        0 as step,
    from gemeenten
    union all
    select
        chain.gemeente_code,
        herindelingen.new_code,
        chain.share * herindelingen.share,
        chain.step + 1,
    from chain
    inner join herindelingen on chain.current_code = herindelingen.old_code
    where chain.step < 10
),

final as (
    select
        gemeente_code,
        current_code,
        sum(share) as share,
    from chain
    where current_code not in (select herindelingen.old_code from herindelingen)
    group by all
)

select * from final
