"""examples/dbt built for real (dbt-core + dbt-duckdb, a DuckDB file named warehouse.duckdb, so its
relations are warehouse.public.orders, warehouse.public.customers, warehouse.finance.ledger like
the `freshet demo` seed's lineage), then its run_results.json and manifest.json drive
`freshet refresh --dbt-run-results` and the API's `dbt` target against `freshet demo`.

The demo's lineage: orders -> Sales, Orders (whose extract fails); customers -> Sales, Customers Live
(live); ledger -> Finance Overview; Sales -> Executive Dashboard. The example's exposures: executive_dashboard (orders) ->
Executive Dashboard, marketing_traffic (customers) -> Web Traffic.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, Demo, runs_with_key_prefix

DBT = Path(sys.executable).parent / "dbt"
PROJECT = REPO / "examples" / "dbt"


def dbt(work: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DBT_DUCKDB_PATH": str(work / "warehouse.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [str(DBT), *args, "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT), "--target-path", str(work / "target"),
         "--log-path", str(work / "logs")],
        env=environment, capture_output=True, text=True, timeout=300,
    )


def artifacts(work: Path, name: str) -> tuple[Path, Path]:
    """Keeps target/run_results.json and manifest.json of the last dbt command under NAME."""
    kept = work / name
    kept.mkdir()
    for file in ("run_results.json", "manifest.json"):
        shutil.copy(work / "target" / file, kept / file)
    return kept / "run_results.json", kept / "manifest.json"


@pytest.fixture(scope="session")
def dbt_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """`dbt build` (seeds and models succeed), then `dbt run --vars '{fail_orders: true}'` (orders fails)."""
    work = tmp_path_factory.mktemp("dbt")
    built = dbt(work, "build")
    assert built.returncode == 0, built.stdout[-3000:]
    runs = {"build": artifacts(work, "build")}
    failing = dbt(work, "run", "--vars", "{fail_orders: true}")
    assert failing.returncode != 0 and "no_such_table_on_purpose" in failing.stdout, failing.stdout[-3000:]
    runs["orders-fails"] = artifacts(work, "orders-fails")
    return runs


def freshet(demo: Demo, *args: str, server: bool = False) -> subprocess.CompletedProcess:
    """The CLI on the demo's data directory, or (``server``) as a client of its API."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FRESHET_")}
    if server:
        environment.update({"FRESHET_SERVER": demo.api, "FRESHET_TOKEN": demo.token})
    else:
        environment["FRESHET_DATA_DIR"] = str(demo.data_dir)
    return subprocess.run([str(demo.binary), *args], env=environment, capture_output=True, text=True, timeout=300)


def test_artifacts_are_the_versions_freshet_reads(dbt_runs: dict) -> None:
    results, manifest = dbt_runs["build"]
    assert json.loads(results.read_text())["metadata"]["dbt_schema_version"].endswith("/run-results/v6.json")
    assert json.loads(manifest.read_text())["metadata"]["dbt_schema_version"].endswith("/manifest/v12.json")


def test_plan_says_what_would_be_refreshed_and_why(dbt_runs: dict, demo: Demo) -> None:
    results, manifest = dbt_runs["build"]
    planned = freshet(demo, "refresh", "--connection", "demo", "--dbt-run-results", str(results), "--dbt-manifest", str(manifest),
                      "--plan", "--idempotency-key", "dbt-plan")
    assert planned.returncode == 0, planned.stdout + planned.stderr
    out = planned.stdout
    for line in ('datasource "Sales" (project Default)', 'datasource "Orders" (project Finance)',
                 'workbook "Finance Overview" (project Finance)', 'workbook "Executive Dashboard" (project Default)',
                 'datasource "Web Traffic" (project Marketing)'):
        assert line in out, out
    assert "because model.freshet_demo.orders succeeded and rebuilt warehouse.public.orders" in out
    assert "because exposure.freshet_demo.executive_dashboard depends on model.freshet_demo.orders, which succeeded" in out
    assert 'Live, nothing to refresh:\n  datasource "Customers Live"' in out
    assert "table warehouse.raw.raw_orders:" in out  # a seed Tableau knows nothing downstream of
    assert runs_with_key_prefix(demo, "dbt-plan") == []  # the plan refreshed nothing


def test_cli_refreshes_exactly_what_is_downstream_of_the_models_that_succeeded(dbt_runs: dict, demo: Demo) -> None:
    results, manifest = dbt_runs["orders-fails"]
    refreshed = freshet(demo, "refresh", "--connection", "demo", "--dbt-run-results", str(results), "--dbt-manifest", str(manifest),
                        "--idempotency-key", "dbt-cli", "--wait", "--timeout", "60s")
    assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
    runs = runs_with_key_prefix(demo, "dbt-cli#")
    # customers -> Sales and, through Sales, Executive Dashboard (Customers Live is live); ledger ->
    # Finance Overview; the exposure on customers -> Web Traffic. orders failed: Orders, which only
    # orders feeds, is not refreshed (and its extract's failure in the demo does not fail the run).
    assert sorted((r["itemName"], r["state"]) for r in runs) == [
        ("Executive Dashboard", "succeeded"), ("Finance Overview", "succeeded"), ("Sales", "succeeded"), ("Web Traffic", "succeeded")]


def test_api_dbt_target_through_the_python_client(dbt_runs: dict, demo: Demo) -> None:
    from freshet_client import FreshetClient, dbt_target

    results, manifest = dbt_runs["orders-fails"]
    target = dbt_target(results, manifest)
    assert len(json.dumps(target)) < 100_000  # slimmed: the manifest is ~600 kB
    with FreshetClient(demo.api, demo.token) as client:
        answer = client.refresh("demo", [target], idempotency_key="dbt-api", timeout_seconds=60)
    assert sorted(r.item_name for r in answer.runs) == ["Executive Dashboard", "Finance Overview", "Sales", "Web Traffic"]
    assert answer.state == "succeeded" and "Customers Live" in [i.item_name for i in answer.live_items]


def test_cli_through_the_server_sends_the_dbt_target(dbt_runs: dict, demo: Demo) -> None:
    results, manifest = dbt_runs["orders-fails"]
    refreshed = freshet(demo, "refresh", "--connection", "demo", "--dbt-run-results", str(results), "--dbt-manifest", str(manifest),
                        "--idempotency-key", "dbt-remote", "--wait", "--timeout", "60s", server=True)
    assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
    runs = runs_with_key_prefix(demo, "dbt-remote#")
    assert sorted(r["itemName"] for r in runs) == ["Executive Dashboard", "Finance Overview", "Sales", "Web Traffic"]
