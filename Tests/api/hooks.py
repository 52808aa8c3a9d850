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
    """Cross-field rules OpenAPI cannot state, each a 400/422 by design:
    - POST /api/v1/runs takes the idempotency key in the body or the Idempotency-Key header; both
      given and different is refused.
    - A connection's secret is given as a value or as a reference, never both.
    - A freshness policy names an item with its type: itemType and item come together."""
    header = (case.headers or {}).get("Idempotency-Key")
    body = case.body if isinstance(case.body, dict) else {}
    key = body.get("idempotencyKey")
    if header is not None and key is not None and header != key:
        return False
    app = body.get("connectedApp") if isinstance(body.get("connectedApp"), dict) else {}
    if ("patSecret" in body and "patSecretRef" in body) or ("secretValue" in app and "secretValueRef" in app):
        return False
    query = case.query or {}
    if case.path == "/api/v1/freshness/policies" and ("itemType" in query) != ("item" in query):
        return False
    return True
