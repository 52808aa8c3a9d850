"""One DAG that exercises airflow-provider-freshet against `freshet demo` (Tests/integrations/airflow).

Independent tasks, so one `airflow dags test` run covers every case (the DAG run itself fails,
because some tasks must fail); the test reads each task instance's outcome afterwards:

    refresh_ok        deferrable refresh of Sales (3 s job): succeeds, emits its asset event
    refresh_blocking  deferrable=False: the workbook Finance Overview, waited for from the worker
    start_only >> wait_with_sensor
                      wait=False refresh of the workbook Executive Dashboard, then the deferrable
                      FreshetRunSensor on its run ids
    refresh_fails     Orders (the demo's failing extract), retries=1: both tries fail with
                      Tableau's notes, and the retry refreshes again (a second run)
    refresh_times_out Inventory (hangs) with timeout=3 s: fails as timed out
    crash_then_adopt  Web Traffic: try 1 starts the refresh, waits for it to succeed and then dies
                      (raises); try 2 must adopt that refresh instead of refreshing again
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import DAG
from airflow.sdk.exceptions import AirflowException

from freshet_airflow.hooks import FreshetHook
from freshet_airflow.operators import FreshetRefreshOperator
from freshet_airflow.sensors import FreshetRunSensor


class CrashAfterStartOperator(FreshetRefreshOperator):
    """On its first try, starts the refresh, waits until it ended and then dies, as a worker killed
    after Freshet accepted the refresh would; later tries behave like the plain operator."""

    def execute(self, context):
        if context["ti"].try_number > 1:
            return super().execute(context)
        waiting, self.wait = self.wait, False
        try:
            runs = super().execute(context)
        finally:
            self.wait = waiting
        with FreshetHook(self.freshet_conn_id).get_conn() as client:
            for run in runs:
                client.get_run(run["id"], wait_seconds=30)
        raise AirflowException("simulated worker death after the refresh was accepted")


with DAG(
    dag_id="freshet_provider",
    start_date=datetime(2026, 1, 1),
    schedule=None,
    catchup=False,
    max_active_tasks=1,
    tags=["freshet", "test"],
):
    FreshetRefreshOperator(task_id="refresh_ok", connection="demo", datasources=["Sales"])
    FreshetRefreshOperator(task_id="refresh_blocking", connection="demo", workbooks=["Finance/Finance Overview"], deferrable=False)

    start = FreshetRefreshOperator(task_id="start_only", connection="demo", workbooks=["Executive Dashboard"], wait=False)
    sensor = FreshetRunSensor(
        task_id="wait_with_sensor",
        run_ids="{{ ti.xcom_pull(task_ids='start_only', key='freshet_run_ids') | tojson }}",
        poke_interval=1,
        timeout=120,
    )
    start >> sensor

    FreshetRefreshOperator(
        task_id="refresh_fails", connection="demo", datasources=["Finance/Orders"], retries=1, retry_delay=timedelta(seconds=1),
    )
    FreshetRefreshOperator(task_id="refresh_times_out", connection="demo", datasources=["Inventory"], timeout=timedelta(seconds=3))
    CrashAfterStartOperator(
        task_id="crash_then_adopt", connection="demo", datasources=["Web Traffic"], retries=1, retry_delay=timedelta(seconds=1),
    )
