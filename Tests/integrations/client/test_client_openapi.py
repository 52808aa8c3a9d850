"""freshet_client kept in step with the API: every path, method, query parameter and JSON field the
client uses exists, with the same name, in the OpenAPI document `freshet demo` serves
(/api/v1/openapi.yaml) — and the client round-trips a real refresh against the demo."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
import yaml

from freshet_client import (
    API_USAGE, RUNS_CREATE_FIELDS, TARGET_KINDS, Attempt, Connection, FreshetClient, FreshetProblem, FreshetUnreachable,
    LiveItem, RefreshFailed, Run, RunsAnswer, targets,
)

from conftest import Demo

MODELS = (Run, Attempt, RunsAnswer, LiveItem, Connection)


@pytest.fixture(scope="module")
def document(demo: Demo) -> dict:
    answer = httpx.get(f"{demo.api}/api/v1/openapi.yaml", timeout=30)
    assert answer.status_code == 200
    return yaml.safe_load(answer.text)


def schema(document: dict, name: str) -> dict:
    """A component schema; ``Run.attempts`` is the item schema of Run's attempts array."""
    head, _, member = name.partition(".")
    found = document["components"]["schemas"][head]
    if member:
        found = found["properties"][member]["items"]
    return found


@pytest.mark.parametrize("method,path,parameters", API_USAGE)
def test_every_route_the_client_calls_exists(document: dict, method: str, path: str, parameters: tuple) -> None:
    assert path in document["paths"], f"{path} is not in the OpenAPI document"
    item = document["paths"][path]
    assert method in item, f"{method.upper()} {path} is not in the OpenAPI document"
    declared = {p.get("name") for p in item[method].get("parameters", []) + item.get("parameters", []) if "name" in p}
    for parameter in parameters:
        assert parameter in declared, f"{method.upper()} {path} has no parameter {parameter} (has {sorted(declared)})"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_the_client_reads_exists(document: dict, model: type) -> None:
    properties = schema(document, model.SCHEMA)["properties"]
    for attribute, name in model.FIELDS.items():
        assert name in properties, f"{model.__name__}.{attribute} reads {name!r}, which schema {model.SCHEMA} lacks"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_fields_the_client_requires_are_required_by_the_api(document: dict, model: type) -> None:
    required = set(schema(document, model.SCHEMA).get("required", []))
    for spec in dataclasses.fields(model):
        if spec.name in model.FIELDS and spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            assert model.FIELDS[spec.name] in required, f"{model.__name__}.{spec.name} is mandatory here but optional in the API"


def test_request_fields_and_target_kinds_exist(document: dict) -> None:
    create = schema(document, "RunsCreate")["properties"]
    assert set(RUNS_CREATE_FIELDS) <= set(create), set(RUNS_CREATE_FIELDS) - set(create)
    kinds = set(schema(document, "RunTarget")["properties"])
    assert set(TARGET_KINDS) <= kinds, f"target kinds the API lacks: {set(TARGET_KINDS) - kinds}"


def test_states_the_client_knows_are_the_apis(document: dict) -> None:
    from freshet_client import FINISHED_STATES

    run_states = set(schema(document, "Run")["properties"]["state"]["enum"])
    assert FINISHED_STATES <= run_states
    answer_states = set(schema(document, "RunsAnswer")["properties"]["state"]["enum"])
    assert {"running", "succeeded", "failed", "timedOut", "cancelled"} <= answer_states


def test_refresh_round_trip_and_repeated_key(freshet: FreshetClient, request: pytest.FixtureRequest) -> None:
    key = f"client-test:{request.node.name}"
    answer = freshet.refresh("demo", targets(datasources="Sales"), idempotency_key=key)
    assert answer.state == "succeeded" and [r.item_name for r in answer.runs] == ["Sales"]
    run = answer.runs[0]
    assert run.finished and run.succeeded and run.item_type == "datasource" and run.item_id and run.idempotency_key.startswith(key + "#")
    again = freshet.create_runs("demo", targets(datasources="Sales"), idempotency_key=key)
    assert [r.id for r in again.runs] == [run.id] and again.finished  # the same run, no second refresh
    assert freshet.get_run(run.id).state == "succeeded"
    assert freshet.get_connection("demo").server_url.startswith("http")


def test_failure_carries_tableaus_notes(freshet: FreshetClient) -> None:
    with pytest.raises(RefreshFailed, match="Login failed for user 'etl'") as caught:
        freshet.refresh("demo", targets(datasources="Finance/Orders"))
    assert caught.value.state == "failed"


def test_problem_documents_and_unreachable_servers(freshet: FreshetClient, demo: Demo) -> None:
    with pytest.raises(FreshetProblem) as caught:
        freshet.create_runs("demo", targets(datasources="No Such Source"))
    assert caught.value.status == 422 and "No Such Source" in str(caught.value)
    with pytest.raises(FreshetProblem) as caught:
        FreshetClient(demo.api, "fsh_wrong").get_run("x")
    assert caught.value.status == 401 and "fsh_wrong" not in str(caught.value)
    with pytest.raises(FreshetUnreachable):
        FreshetClient("http://127.0.0.1:9", "fsh_x", timeout=2, retries=1, backoff=0.01).check()


def test_5xx_is_retried_but_a_keyless_post_is_not() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) < 3:
            return httpx.Response(503, json={"type": "urn:freshet:problem:unavailable", "status": 503, "detail": "busy"})
        return httpx.Response(200, json={"id": "r1", "state": "succeeded", "finished": True})

    client = FreshetClient("http://freshet.test", "fsh_x", retries=3, backoff=0, transport=httpx.MockTransport(handler))
    assert client.get_run("r1").succeeded and calls == ["GET"] * 3
    calls.clear()
    with pytest.raises(FreshetProblem):
        client.create_runs("demo", targets(datasources="Sales"))  # no key: one try only
    assert calls == ["POST"]
    calls.clear()
    client.create_runs("demo", targets(datasources="Sales"), idempotency_key="k")  # with a key: retried
    assert calls == ["POST"] * 3
