"""examples/airflow run for real: `airflow dags test` (SQLite metadata database in a private
AIRFLOW_HOME) against `freshet demo`, for a data source that refreshes (Sales) and one whose
extract fails in Tableau (Orders), with both the HttpOperator/HttpSensor DAG and the BashOperator DAG.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, Demo

AIRFLOW = Path(sys.executable).parent / "airflow"
TABLEAU_NOTES = "Login failed for user 'etl'"  # the demo seed's failure notes for Orders


@pytest.fixture(scope="session")
def airflow_env(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("airflow-home")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "FRESHET_"))}
    environment.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(EXAMPLES / "airflow"),
        "AIRFLOW_CONN_FRESHET": demo.api,
        "AIRFLOW_VAR_FRESHET_TOKEN": demo.token,
        "FRESHET_BIN": str(demo.binary),
        "FRESHET_DATA_DIR": str(demo.data_dir),
    })
    migrate = subprocess.run([str(AIRFLOW), "db", "migrate"], env=environment, capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    return environment


def dags_test(environment: dict[str, str], dag_id: str, datasource: str) -> tuple[int, str | None, str]:
    """Runs `airflow dags test DAG_ID -c {"datasource": …}`: exit code, the DAG run's final state, output."""
    result = subprocess.run(
        [str(AIRFLOW), "dags", "test", dag_id, "-c", json.dumps({"datasource": datasource})],
        env=environment, capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    finished = re.findall(rf"DagRun Finished: dag_id={re.escape(dag_id)},.*?\bstate=(\w+)", output)
    return result.returncode, finished[-1] if finished else None, output


@pytest.mark.parametrize("dag_id", ["freshet_refresh_http", "freshet_refresh_cli"])
def test_refresh_that_succeeds_passes(airflow_env: dict[str, str], dag_id: str) -> None:
    status, state, output = dags_test(airflow_env, dag_id, "Sales")
    assert status == 0, output[-4000:]
    assert state == "success", output[-4000:]


@pytest.mark.parametrize("dag_id", ["freshet_refresh_http", "freshet_refresh_cli"])
def test_failing_extract_fails_the_dag_run(airflow_env: dict[str, str], dag_id: str) -> None:
    status, state, output = dags_test(airflow_env, dag_id, "Orders")
    # `airflow dags test` exits 1 when the DAG run failed (Airflow 3.3); the run's final state
    # is in its "DagRun Finished" log line. Either signal alone would do; both must agree.
    assert status != 0, output[-4000:]
    assert state in (None, "failed"), output[-4000:]
    assert "state=success" not in "\n".join(line for line in output.splitlines() if "DagRun Finished" in line)
    assert TABLEAU_NOTES in output, "the task log should carry Tableau's own notes:\n" + output[-4000:]
