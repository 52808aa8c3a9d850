-- warehouse.finance.ledger
select entry_id, account, amount, cast(booked_at as date) as booked_at
from {{ ref('raw_ledger') }}
