"""airflow-provider-freshet run for real: one `airflow dags test freshet_provider` (Airflow 3,
SQLite metadata database in a private AIRFLOW_HOME, triggers run in line) against `freshet demo`,
then each case is judged from the metadata database, Freshet's runs and the log. The DAG is
Tests/integrations/airflow/dags/freshet_provider_dag.py; its docstring lists the cases."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import Demo, runs_with_key_prefix

AIRFLOW = Path(sys.executable).parent / "airflow"
DAGS = Path(__file__).resolve().parent / "dags"
TABLEAU_NOTES = "Login failed for user 'etl'"  # the demo seed's failure notes for Orders
DAG_ID = "freshet_provider"


@dataclass
class DagRun:
    status: int
    output: str
    database: Path
    run_id: str

    def task(self, task_id: str) -> tuple[str, int]:
        """(state, try_number) of a task instance of this DAG run."""
        with sqlite3.connect(self.database) as db:
            row = db.execute(
                "SELECT state, try_number FROM task_instance WHERE dag_id = ? AND run_id = ? AND task_id = ?",
                (DAG_ID, self.run_id, task_id),
            ).fetchone()
        assert row, f"no task instance {task_id}"
        return row[0], row[1]

    def runs(self, demo: Demo, task_id: str) -> list[dict]:
        return runs_with_key_prefix(demo, f"airflow:{DAG_ID}:{self.run_id}:{task_id}:")


@pytest.fixture(scope="session")
def airflow_env(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("airflow-home")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "FRESHET_"))}
    environment.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW_CONN_FRESHET_DEFAULT": json.dumps({"conn_type": "freshet", "host": demo.api, "password": demo.token}),
    })
    migrate = subprocess.run([str(AIRFLOW), "db", "migrate"], env=environment, capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    return environment


@pytest.fixture(scope="session")
def dag_run(airflow_env: dict[str, str]) -> DagRun:
    result = subprocess.run([str(AIRFLOW), "dags", "test", DAG_ID], env=airflow_env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    database = Path(airflow_env["AIRFLOW_HOME"]) / "airflow.db"
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT run_id FROM dag_run WHERE dag_id = ? ORDER BY id DESC LIMIT 1", (DAG_ID,)).fetchone()
    assert row, output[-4000:]
    return DagRun(result.returncode, output, database, row[0])


def test_provider_is_registered_with_its_connection_form(airflow_env: dict[str, str]) -> None:
    script = (
        "import json, warnings; warnings.simplefilter('ignore')\n"
        "from airflow.providers_manager import ProvidersManager as P\n"
        "p = P(); h = p.hooks['freshet']\n"
        "print(json.dumps({'providers': sorted(p.providers), 'hook': h.hook_class_name, 'name': h.hook_name,"
        " 'behaviour': p.field_behaviours['freshet'],"
        " 'widgets': sorted(k for k in p.connection_form_widgets if k.startswith('extra__freshet__')),"
        " 'links': sorted(p.extra_links_class_names)}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], env=airflow_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout.strip().splitlines()[-1])
    assert "airflow-provider-freshet" in info["providers"]
    assert info["hook"] == "freshet_airflow.hooks.FreshetHook" and info["name"] == "Freshet"
    assert info["behaviour"]["relabeling"] == {"host": "Freshet URL", "password": "API token"}
    assert {"schema", "port", "login"} <= set(info["behaviour"]["hidden_fields"])
    assert "password" not in info["behaviour"]["hidden_fields"] and "host" not in info["behaviour"]["hidden_fields"]
    assert info["widgets"] == ["extra__freshet__retries", "extra__freshet__timeout"]
    assert "freshet_airflow.links.FreshetRunLink" in info["links"]


def test_deferrable_refresh_succeeds_in_the_triggerer(dag_run: DagRun, demo: Demo) -> None:
    assert dag_run.task("refresh_ok") == ("success", 1), dag_run.output[-6000:]
    runs = dag_run.runs(demo, "refresh_ok")
    assert [(r["itemName"], r["state"]) for r in runs] == [("Sales", "succeeded")]
    assert "running trigger in line" in dag_run.output  # it deferred: the wait happened in the trigger


def test_blocking_refresh_waits_in_the_worker(dag_run: DagRun, demo: Demo) -> None:
    assert dag_run.task("refresh_blocking") == ("success", 1), dag_run.output[-6000:]
    assert [(r["itemName"], r["state"]) for r in dag_run.runs(demo, "refresh_blocking")] == [("Finance Overview", "succeeded")]


def test_extra_link_opens_the_run_in_freshets_console(dag_run: DagRun, demo: Demo) -> None:
    sales = dag_run.runs(demo, "refresh_ok")[0]
    with sqlite3.connect(dag_run.database) as db:
        row = db.execute(
            "SELECT value FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = 'refresh_ok' AND key = '_link_FreshetRunLink'",
            (DAG_ID, dag_run.run_id),
        ).fetchone()
    assert row, "the operator's extra link was not stored"
    assert json.loads(row[0]) == f"{demo.api}/runs/{sales['id']}"


def test_successful_items_are_emitted_as_asset_events(dag_run: DagRun, demo: Demo) -> None:
    sales = dag_run.runs(demo, "refresh_ok")[0]
    traffic = dag_run.runs(demo, "crash_then_adopt")[0]
    finance = dag_run.runs(demo, "refresh_blocking")[0]
    with sqlite3.connect(dag_run.database) as db:
        events = db.execute(
            "SELECT a.uri, e.extra, e.source_task_id FROM asset_event e JOIN asset a ON a.id = e.asset_id WHERE e.source_run_id = ?"
            " ORDER BY e.source_task_id",
            (dag_run.run_id,),
        ).fetchall()
    # Only items that refreshed successfully: not Orders (failed), Inventory (timed out) or the
    # workbook of start_only (not waited for).
    found = [(re.sub(r"^tableau://[^/]+/", "tableau://HOST/", u), t) for u, _, t in events]
    assert found == [
        (f"tableau://HOST/default/datasources/{traffic['itemId']}", "crash_then_adopt"),
        (f"tableau://HOST/default/workbooks/{finance['itemId']}", "refresh_blocking"),
        (f"tableau://HOST/default/datasources/{sales['itemId']}", "refresh_ok"),
    ], events
    assert all(re.match(r"^tableau://127\.0\.0\.1:\d+/default/", u) for u, _, _ in events), events
    assert json.loads(events[2][1])["freshetRunId"] == sales["id"]


def test_sensor_waits_for_runs_started_without_waiting(dag_run: DagRun, demo: Demo) -> None:
    assert dag_run.task("start_only") == ("success", 1)
    assert dag_run.task("wait_with_sensor")[0] == "success", dag_run.output[-6000:]
    assert [(r["itemName"], r["state"]) for r in dag_run.runs(demo, "start_only")] == [("Executive Dashboard", "succeeded")]


def test_failure_fails_with_tableaus_notes_and_a_retry_refreshes_again(dag_run: DagRun, demo: Demo) -> None:
    assert dag_run.task("refresh_fails") == ("failed", 2)
    assert TABLEAU_NOTES in dag_run.output and "Tableau refresh failed" in dag_run.output
    runs = dag_run.runs(demo, "refresh_fails")
    keys = sorted(r["idempotencyKey"].split("#")[0].rsplit(":", 1)[-1] for r in runs)
    assert len(runs) == 2 and keys == ["-1", "retry1"], runs  # try 2 did not adopt try 1's failed refresh
    assert all(r["state"] == "failed" for r in runs)


def test_timeout_fails_the_task_and_ends_the_refresh(dag_run: DagRun, demo: Demo) -> None:
    assert dag_run.task("refresh_times_out") == ("failed", 1)
    assert [r["state"] for r in dag_run.runs(demo, "refresh_times_out")] == ["timedOut"]
    assert "Tableau refresh timedOut" in dag_run.output


def test_retry_after_a_dead_worker_adopts_the_refresh(dag_run: DagRun, demo: Demo) -> None:
    assert dag_run.task("crash_then_adopt") == ("success", 2), dag_run.output[-6000:]
    assert "simulated worker death" in dag_run.output
    runs = dag_run.runs(demo, "crash_then_adopt")
    assert [(r["itemName"], r["state"]) for r in runs] == [("Web Traffic", "succeeded")]  # refreshed once


def test_the_dag_run_failed_because_of_the_failing_tasks(dag_run: DagRun) -> None:
    finished = re.findall(rf"DagRun Finished: dag_id={DAG_ID},.*?\bstate=(\w+)", dag_run.output)
    assert dag_run.status != 0 and finished[-1:] in ([], ["failed"]), dag_run.output[-4000:]
