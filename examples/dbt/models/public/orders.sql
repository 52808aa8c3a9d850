-- warehouse.public.orders. `dbt run --vars '{fail_orders: true}'` makes this model fail (the tests
-- use it to show that a failed model refreshes nothing downstream).
{% if var('fail_orders', false) %}
select * from no_such_table_on_purpose
{% else %}
select order_id, customer_id, amount, cast(ordered_at as date) as ordered_at
from {{ ref('raw_orders') }}
{% endif %}
