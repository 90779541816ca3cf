-- Which delivered codes each indicator counts ('*': all of them).
with source as (
    select * from ref_indicator_filters
),

final as (
    select
        indicator_code,
        bron as source,
        categorie as category,
        subcategorie as subcategory,
    from source
)

select * from final
