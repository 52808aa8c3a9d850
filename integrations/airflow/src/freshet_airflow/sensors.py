"""FreshetRunSensor: wait for runs someone else started (another task, ``wait=False``, the CLI)."""

from __future__ import annotations

import json
import time
from typing import Any, Sequence

from airflow.sdk import BaseSensorOperator
from airflow.sdk.exceptions import AirflowException

from freshet_client import FreshetError, RefreshFailed, Run, overall_state

from . import results
from .hooks import FreshetHook
from .links import FreshetRunLink
from .triggers import FreshetRunsTrigger


class FreshetRunSensor(BaseSensorOperator):
    """Succeeds when every run in ``run_ids`` succeeded; fails with Tableau's notes as soon as one
    ended otherwise. Deferrable by default: the waiting happens in the triggerer.

    :param run_ids: run ids: a list, one id, or a templated string (a JSON list or comma-separated),
        e.g. ``"{{ ti.xcom_pull(task_ids='refresh', key='freshet_run_ids') | tojson }}"``.
    :param freshet_conn_id: the Airflow connection of type ``freshet``.
    :param deferrable: wait in the triggerer (default) instead of poking from a worker.

    ``timeout`` (seconds, the sensor's own) bounds the wait in both modes.
    """

    template_fields: Sequence[str] = ("run_ids",)
    operator_extra_links = (FreshetRunLink(),)

    def __init__(self, *, run_ids: Sequence[str] | str, freshet_conn_id: str = FreshetHook.default_conn_name,
                 deferrable: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.run_ids = run_ids
        self.freshet_conn_id = freshet_conn_id
        self.deferrable = deferrable

    def _ids(self) -> list[str]:
        value = self.run_ids
        if isinstance(value, str):
            text = value.strip()
            value = json.loads(text) if text.startswith("[") else [part.strip() for part in text.split(",")]
        ids = [str(v) for v in value if str(v)]
        if not ids:
            raise AirflowException("FreshetRunSensor: no run id to wait for")
        return ids

    def poke(self, context: Any) -> bool:
        with FreshetHook(self.freshet_conn_id).get_conn() as client:
            try:
                runs = [client.get_run(run_id) for run_id in self._ids()]
            except FreshetError as error:
                raise AirflowException(str(error)) from None
            results.remember(context, client, runs)
        return self._judge(runs)

    def execute(self, context: Any) -> Any:
        if not self.deferrable:
            return super().execute(context)
        if self.poke(context):
            return None
        self.defer(
            trigger=FreshetRunsTrigger(run_ids=self._ids(), freshet_conn_id=self.freshet_conn_id,
                                       deadline=time.time() + float(self.timeout)),
            method_name="execute_complete",
        )

    def execute_complete(self, context: Any, event: dict[str, Any]) -> None:
        if event.get("status") == "error":
            raise AirflowException(f"Waiting for Freshet failed: {event.get('message')}")
        runs = [Run.from_json(r) for r in event.get("runs") or []]
        if not self._judge(runs):
            raise AirflowException(f"Freshet runs still going after the sensor's timeout ({self.timeout} s): "
                                   + ", ".join(r.describe() for r in runs if not r.finished))

    @staticmethod
    def _judge(runs: list[Run]) -> bool:
        state = overall_state(runs)
        if state == "running":
            return False
        if state != "succeeded":
            raise AirflowException(str(RefreshFailed(runs, state)))
        return True
