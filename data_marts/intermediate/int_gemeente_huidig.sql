-- Every gemeente code ever used, with the gemeente that holds its area today (mergers followed).
with recursive

gemeenten as (
    select * from ref_gemeenten
),

herindelingen as (
    select * from ref_herindelingen
),

chain (gemeente_code, huidige_code, stap) as (
    select
        gemeente_code,
        gemeente_code as huidige_code,
        0 as stap,
    from gemeenten
    union all
    select
        chain.gemeente_code,
        herindelingen.nieuw_code,
        chain.stap + 1,
    from chain
    inner join herindelingen on herindelingen.oud_code = chain.huidige_code
    where chain.stap < 10
),

final as (
    select
        gemeente_code,
        arg_max(huidige_code, stap) as huidige_code,
    from chain
    group by gemeente_code
)

select * from final
