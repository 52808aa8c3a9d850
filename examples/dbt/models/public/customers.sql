-- warehouse.public.customers
select c.customer_id, c.name, c.country, count(o.order_id) as orders
from {{ ref('raw_customers') }} c
left join {{ ref('raw_orders') }} o using (customer_id)
group by all
