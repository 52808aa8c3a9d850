"""schemathesis hooks (SCHEMATHESIS_HOOKS=hooks): cases that cannot be valid by construction are
not generated.

A `cursor` is opaque: only a value the API returned (nextCursor) is a position, so a generated
one is a 400 no schema can avoid. Cursors are covered by the Swift paging tests instead."""

import schemathesis


@schemathesis.hook
def filter_query(ctx, query):
    return not query or "cursor" not in query


@schemathesis.hook
def filter_case(ctx, case):
    """POST /api/v1/runs takes the idempotency key in the body or the Idempotency-Key header; both
    given and different is a 400 (a cross-field rule OpenAPI cannot state)."""
    header = (case.headers or {}).get("Idempotency-Key")
    body = case.body.get("idempotencyKey") if isinstance(case.body, dict) else None
    return header is None or body is None or header == body
