"""Refresh Tableau extracts through Freshet from Airflow 3, two ways.

freshet_refresh_http
    create_run (stock HttpOperator): POST /api/v1/runs, pushes the run id to XCom.
    wait_for_run (stock HttpSensor): GET /api/v1/runs/{id}?waitSeconds=20 until the run has
    ended; succeeds when it succeeded, fails the task (no retry) with Tableau's notes otherwise.

freshet_refresh_cli
    refresh (BashOperator): `freshet refresh --connection demo --datasource … --wait`, which exits
    0 when every refresh succeeded and 1 when one failed (2 usage, 3 timed out, 4 cancelled,
    5 Tableau unreachable), so a failing extract fails the task.

Configuration (all through the environment, nothing in the metadata database needed):
    AIRFLOW_CONN_FRESHET      the Freshet server, e.g. http://127.0.0.1:8080 (HTTP variant)
    AIRFLOW_VAR_FRESHET_TOKEN an API token with the refresh and read scopes (HTTP variant)
    FRESHET_BIN               the freshet binary (CLI variant; default: freshet on PATH)
    FRESHET_DATA_DIR          the data directory the CLI uses (CLI variant), or FRESHET_SERVER and
                              FRESHET_TOKEN to go through a running server
    FRESHET_CONNECTION        the Freshet connection (default demo)
    FRESHET_DATASOURCE        the data source to refresh when the run gives no conf (default Sales)

The data source is the DAG param "datasource": `airflow dags test freshet_refresh_http -c '{"datasource": "Orders"}'`.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta

from airflow.providers.http.operators.http import HttpOperator
from airflow.providers.http.sensors.http import HttpSensor
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param
from airflow.sdk.exceptions import AirflowFailException

CONNECTION = os.environ.get("FRESHET_CONNECTION", "demo")
PARAMS = {"datasource": Param(os.environ.get("FRESHET_DATASOURCE", "Sales"), type="string", description="Data source to refresh")}
HEADERS = {"Authorization": "Bearer {{ var.value.freshet_token }}", "Content-Type": "application/json"}


def run_id_from(response) -> str:
    """The id of the run POST /api/v1/runs created (one data source, so one run)."""
    body = response.json()
    if not body.get("runs"):
        raise AirflowFailException(f"Freshet created no run (live items: {body.get('liveItems')})")
    return body["runs"][0]["id"]


def run_succeeded(response) -> bool:
    """True once the run succeeded; False while it runs; fails the task when it ended otherwise."""
    run = response.json()
    if not run.get("finished"):
        return False
    if run.get("state") == "succeeded":
        return True
    raise AirflowFailException(f"Tableau refresh {run.get('state')} (run {run.get('id')}): {run.get('notes') or 'no notes'}")


with DAG(
    dag_id="freshet_refresh_http",
    description="Refresh a Tableau data source through Freshet's HTTP API and wait for it",
    start_date=datetime(2026, 1, 1),
    schedule=None,
    catchup=False,
    params=PARAMS,
    tags=["freshet", "tableau"],
):
    create_run = HttpOperator(
        task_id="create_run",
        http_conn_id="freshet",
        endpoint="api/v1/runs",
        method="POST",
        headers=HEADERS,
        # The idempotency key makes a retried POST return the same run instead of refreshing twice.
        data=json.dumps({
            "connection": CONNECTION,
            "targets": [{"datasource": "{{ params.datasource }}"}],
            "idempotencyKey": "airflow:{{ dag.dag_id }}:{{ run_id }}",
            "timeoutSeconds": 1800,
        }),
        response_filter=run_id_from,  # the returned id goes to XCom
        retries=3,
        retry_delay=timedelta(seconds=10),
    )

    wait_for_run = HttpSensor(
        task_id="wait_for_run",
        http_conn_id="freshet",
        method="GET",
        # Freshet holds the request up to waitSeconds until the run changes, so pokes are cheap.
        endpoint="api/v1/runs/{{ ti.xcom_pull(task_ids='create_run') }}",
        request_params={"waitSeconds": "20"},
        headers=HEADERS,
        response_check=run_succeeded,
        poke_interval=1,
        timeout=3600,
        mode="poke",
        retries=0,
    )

    create_run >> wait_for_run


with DAG(
    dag_id="freshet_refresh_cli",
    description="Refresh a Tableau data source with the freshet CLI and wait for it",
    start_date=datetime(2026, 1, 1),
    schedule=None,
    catchup=False,
    params=PARAMS,
    tags=["freshet", "tableau"],
):
    BashOperator(
        task_id="refresh",
        # Names go through the environment, never pasted into the shell line.
        bash_command='"${FRESHET_BIN:-freshet}" refresh --connection "$FRESHET_CONNECTION" --datasource "$DATASOURCE" '
        '--idempotency-key "$IDEMPOTENCY_KEY" --wait',
        env={
            "DATASOURCE": "{{ params.datasource }}",
            "FRESHET_CONNECTION": CONNECTION,
            "IDEMPOTENCY_KEY": "airflow:{{ dag.dag_id }}:{{ run_id }}",
        },
        append_env=True,
    )
