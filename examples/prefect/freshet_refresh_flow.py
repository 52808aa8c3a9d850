"""Refresh Tableau extracts through Freshet from Prefect 3, two ways.

refresh_over_http
    create_run: POST /api/v1/runs (retried on network errors and 5xx; an idempotency key tied to
    the flow run makes a retry return the same run instead of refreshing twice);
    wait_for_run: GET /api/v1/runs/{id}?waitSeconds=30 until the run has ended; raises
    RefreshFailed with Tableau's notes when it did not succeed, which fails the task and the flow.

refresh_with_cli
    refresh: `freshet refresh --connection demo --datasource … --wait` in a subprocess; exit 0 when
    every refresh succeeded, 1 when one failed (2 usage, 3 timed out, 4 cancelled, 5 unreachable).

Configuration through the environment:
    FRESHET_SERVER, FRESHET_TOKEN   the server and an API token (HTTP variant; the CLI uses them too
                                    when set, else the data directory)
    FRESHET_BIN                     the freshet binary (CLI variant; default: freshet on PATH)
    FRESHET_DATA_DIR                the data directory the CLI uses when it does not go through a server

Run: python freshet_refresh_flow.py http Sales   |   python freshet_refresh_flow.py cli Orders
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
from prefect import flow, task
from prefect.runtime import flow_run


class RefreshFailed(Exception):
    """A Freshet run ended without succeeding (failed, cancelled or timed out)."""


def _retry_when_transient(task, task_run, state) -> bool:
    """Retry only what another try can fix: the network, or a 5xx from Freshet."""
    try:
        state.result()
    except httpx.HTTPStatusError as error:
        return error.response.status_code >= 500
    except httpx.TransportError:
        return True
    except Exception:
        return False
    return False


def _client(server: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=server, headers={"Authorization": f"Bearer {token}"}, timeout=httpx.Timeout(10.0, read=75.0))


@task(retries=3, retry_delay_seconds=5, retry_condition_fn=_retry_when_transient)
def create_run(server: str, token: str, connection: str, datasource: str, idempotency_key: str) -> str:
    """Asks Freshet to refresh `datasource`; returns the run id."""
    with _client(server, token) as client:
        response = client.post("/api/v1/runs", json={
            "connection": connection,
            "targets": [{"datasource": datasource}],
            "idempotencyKey": idempotency_key,
            "timeoutSeconds": 1800,
        })
        response.raise_for_status()
        runs = response.json()["runs"]
        if not runs:
            raise RefreshFailed(f"{datasource} has no extract to refresh: {response.json().get('liveItems')}")
        return runs[0]["id"]


@task(retries=2, retry_delay_seconds=5, retry_condition_fn=_retry_when_transient)
def wait_for_run(server: str, token: str, run_id: str, timeout_seconds: float = 3600) -> dict:
    """Waits until run `run_id` has ended; returns it when it succeeded, raises RefreshFailed otherwise."""
    deadline = time.monotonic() + timeout_seconds
    with _client(server, token) as client:
        while True:
            # Freshet holds the request until the run changes or waitSeconds pass.
            response = client.get(f"/api/v1/runs/{run_id}", params={"waitSeconds": 30})
            response.raise_for_status()
            run = response.json()
            if run["finished"]:
                if run["state"] != "succeeded":
                    raise RefreshFailed(f"Tableau refresh {run['state']} (run {run_id}): {run.get('notes') or 'no notes'}")
                return run
            if time.monotonic() > deadline:
                raise TimeoutError(f"run {run_id} still {run['state']} after {timeout_seconds} s")


@flow(name="freshet-refresh-http")
def refresh_over_http(datasource: str = "Sales", connection: str = "demo", server: str | None = None, token: str | None = None) -> dict:
    """Refreshes one data source through Freshet's HTTP API and waits for Tableau's job."""
    server = server or os.environ["FRESHET_SERVER"]
    token = token or os.environ["FRESHET_TOKEN"]
    run_id = create_run(server, token, connection, datasource, idempotency_key=f"prefect:{flow_run.id}:{datasource}")
    return wait_for_run(server, token, run_id)


@task(retries=0)
def refresh(connection: str, datasource: str, idempotency_key: str) -> str:
    """`freshet refresh … --wait`; returns its summary, raises RefreshFailed when it exits non-zero."""
    binary = os.environ.get("FRESHET_BIN", "freshet")
    result = subprocess.run(
        [binary, "refresh", "--connection", connection, "--datasource", datasource, "--idempotency-key", idempotency_key, "--wait"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RefreshFailed(f"freshet refresh exited {result.returncode}: {(result.stdout + result.stderr).strip()}")
    return result.stdout


@flow(name="freshet-refresh-cli")
def refresh_with_cli(datasource: str = "Sales", connection: str = "demo") -> str:
    """Refreshes one data source with the freshet CLI and waits for Tableau's job."""
    return refresh(connection, datasource, idempotency_key=f"prefect:{flow_run.id}:{datasource}")


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "http"
    name = sys.argv[2] if len(sys.argv) > 2 else "Sales"
    print((refresh_over_http if variant == "http" else refresh_with_cli)(datasource=name))
