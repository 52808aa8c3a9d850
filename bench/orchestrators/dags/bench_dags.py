"""Benchmark DAGs (bench/orchestrators/run.sh): the same 20 data source refreshes through
Freshet's deferrable operator and through the Airflow Tableau provider's TableauOperator with its
defaults (blocking_refresh=True, check_interval=20). Each task records when its worker part
started and ended (execute, and execute_complete after a deferral) in $BENCH_OUT (JSON lines):
that is the time the task holds a worker slot; a deferred task holds none while its trigger waits.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime

from airflow.sdk import DAG

from freshet_airflow.operators import FreshetRefreshOperator

NAMES = [f"Data Source {n:02d}" for n in range(1, 21)]


def record(task_id: str, part: str, started: float, datasource: str) -> None:
    with open(os.environ["BENCH_OUT"], "a") as out:
        out.write(json.dumps({"task": task_id, "part": part, "start": started, "end": time.time(), "datasource": datasource}) + "\n")


class TimedFreshet(FreshetRefreshOperator):
    def execute(self, context):
        started = time.time()
        try:
            return super().execute(context)
        finally:
            record(self.task_id, "execute", started, self.datasources[0])

    def execute_complete(self, context, event):
        started = time.time()
        try:
            return super().execute_complete(context, event)
        finally:
            record(self.task_id, "execute_complete", started, self.datasources[0])


with DAG(dag_id="bench_freshet", start_date=datetime(2026, 1, 1), schedule=None, catchup=False):
    for index, name in enumerate(NAMES, 1):
        TimedFreshet(task_id=f"refresh_{index:02d}", connection="bench", datasources=[name], emit_assets=False)

try:
    from airflow.providers.tableau.operators.tableau import TableauOperator
except ImportError:  # apache-airflow-providers-tableau not installed: only the Freshet DAG
    TableauOperator = None

if TableauOperator is not None:
    class TimedTableau(TableauOperator):
        def execute(self, context):
            started = time.time()
            try:
                return super().execute(context)
            finally:
                record(self.task_id, "execute", started, self.find)

    with DAG(dag_id="bench_tableau", start_date=datetime(2026, 1, 1), schedule=None, catchup=False):
        for index, name in enumerate(NAMES, 1):
            TimedTableau(task_id=f"refresh_{index:02d}", resource="datasources", method="refresh", find=name,
                         match_with="name", tableau_conn_id="tableau_bench")
