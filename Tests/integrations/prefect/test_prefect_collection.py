"""prefect-freshet run for real: local flows (Prefect's temporary server, a private PREFECT_HOME)
against `freshet demo`: a refresh that succeeds (runs returned, markdown artifact), one that fails
with Tableau's notes, a retried task that refreshes again after a failure and one that adopts."""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile

# Prefect reads its settings when imported: a private home and a patient temporary server first.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="prefect-home-")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.pop("PREFECT_API_URL", None)

import pytest  # noqa: E402
from prefect import flow  # noqa: E402
from prefect.client.orchestration import get_client  # noqa: E402
from prefect.client.schemas.filters import (  # noqa: E402
    ArtifactFilter, ArtifactFilterKey, FlowRunFilter, FlowRunFilterId, TaskRunFilter,
)
from prefect.client.schemas.sorting import ArtifactSort  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402

from freshet_client import RefreshFailed  # noqa: E402
from prefect_freshet import FreshetCredentials, refresh_tableau  # noqa: E402

from conftest import Demo, runs_with_key_prefix  # noqa: E402

TABLEAU_NOTES = "Login failed for user 'etl'"  # the demo seed's failure notes for Orders


@pytest.fixture(scope="session", autouse=True)
def quiet_exit() -> object:
    yield
    logging.disable(logging.INFO)


@pytest.fixture
def credentials(demo: Demo) -> FreshetCredentials:
    return FreshetCredentials(url=demo.api, token=demo.token)


@flow
def refresh_flow(credentials: FreshetCredentials, datasource: str, retries: int = 0) -> dict:
    runs = refresh_tableau.with_options(retries=retries, retry_delay_seconds=0)(
        credentials, connection="demo", datasources=[datasource])
    return {"flowRunId": flow_run.id, "runs": [r.raw for r in runs]}


def artifacts_of(flow_run_id: str) -> list[str]:
    async def read() -> list[str]:
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["freshet-refresh"])),
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
                task_run_filter=TaskRunFilter(), sort=ArtifactSort.CREATED_DESC, limit=10,
            )
        return [a.data for a in found]

    return asyncio.run(read())


def test_refresh_succeeds_returns_runs_and_an_artifact(credentials: FreshetCredentials) -> None:
    result = refresh_flow(credentials, "Sales")
    assert [(r["itemName"], r["state"]) for r in result["runs"]] == [("Sales", "succeeded")]
    markdown = artifacts_of(result["flowRunId"])
    assert len(markdown) == 1 and "| datasource | Sales | Default | succeeded |" in markdown[0]
    assert f"/runs/{result['runs'][0]['id']}" in markdown[0]


def test_failure_raises_with_tableaus_notes(credentials: FreshetCredentials) -> None:
    state = refresh_flow(credentials, "Finance/Orders", return_state=True)
    assert state.is_failed(), state
    with pytest.raises(RefreshFailed, match=TABLEAU_NOTES):
        state.result()


def test_retry_after_a_failed_refresh_refreshes_again(credentials: FreshetCredentials, demo: Demo) -> None:
    state = refresh_flow(credentials, "Finance/Orders", retries=1, return_state=True)
    assert state.is_failed()
    flow_run_id = str(state.state_details.flow_run_id)
    runs = runs_with_key_prefix(demo, f"prefect:{flow_run_id}:")
    first, second = sorted((r["idempotencyKey"].split("#")[0] for r in runs), key=len)
    assert len(runs) == 2 and second == first + ":retry1", runs  # the retry refreshed again, under the next key
    assert {r["state"] for r in runs} == {"failed"}


def test_retry_adopts_a_refresh_that_is_still_going(credentials: FreshetCredentials, demo: Demo) -> None:
    """The first try dies after Freshet accepted the refresh; the retry must wait for that refresh."""
    tries: list[int] = []

    @flow
    def dying_flow() -> dict:
        from prefect import task
        from prefect.runtime import task_run

        @task(retries=1, retry_delay_seconds=0, name="refresh_tableau")
        def refresh_then_die() -> list:
            tries.append(task_run.run_count)
            runs = refresh_tableau.fn(credentials, connection="demo", datasources=["Web Traffic"], wait=tries[-1] > 1)
            if tries[-1] == 1:
                raise RuntimeError("simulated worker death after the refresh was accepted")
            return [r.raw for r in runs]

        return {"flowRunId": flow_run.id, "runs": refresh_then_die()}

    result = dying_flow()
    assert tries == [1, 2]
    runs = runs_with_key_prefix(demo, f"prefect:{result['flowRunId']}:")
    assert [(r["itemName"], r["state"]) for r in runs] == [("Web Traffic", "succeeded")]  # one refresh
    assert [r["id"] for r in result["runs"]] == [runs[0]["id"]]


def test_credentials_block_keeps_the_token_secret(credentials: FreshetCredentials, demo: Demo) -> None:
    assert demo.token not in repr(credentials) and demo.token not in str(credentials.model_dump())
    with credentials.get_client() as client:
        client.check()
