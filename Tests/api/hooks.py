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
    """The one cross-field rule OpenAPI cannot state (a header against a body member), a 400 by
    design: POST /api/v1/runs takes the idempotency key in the body or the Idempotency-Key header;
    both given and different is refused. The document states every other rule (oneOf, not,
    dependentRequired), so schemathesis generates only requests that keep them."""
    header = (case.headers or {}).get("Idempotency-Key")
    body = case.body if isinstance(case.body, dict) else {}
    key = body.get("idempotencyKey")
    return header is None or key is None or header == key
