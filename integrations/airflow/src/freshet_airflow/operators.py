"""FreshetRefreshOperator: refresh Tableau workbooks and data sources through Freshet."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any, Sequence

from airflow.sdk import AssetAlias, BaseOperator
from airflow.sdk.exceptions import AirflowException

from freshet_client import FreshetClient, FreshetError, RefreshFailed, Run, RunsAnswer, overall_state, targets

from . import results
from .hooks import FreshetHook
from .idempotency import base_key, start_or_adopt
from .links import FreshetRunLink
from .triggers import FreshetRunsTrigger

#: The asset alias every refresh adds its items' assets through (see ``results.emit_assets``).
ASSET_ALIAS = "freshet"
#: Seconds the trigger waits past ``timeout`` for Freshet to end the runs as timed out.
DEADLINE_GRACE = 60


class FreshetRefreshOperator(BaseOperator):
    """Refreshes Tableau content through Freshet and (``wait=True``) waits for Tableau's jobs.

    :param connection: the Freshet connection (name or id) of the Tableau site.
    :param datasources: data sources by name, ``Project/Name`` or id.
    :param workbooks: workbooks by name, ``Project/Name`` or id.
    :param projects: every workbook and data source with an extract in these projects.
    :param tables: ``database.schema.table``: everything downstream in Tableau's lineage.
    :param wait: wait until every refresh ended (else succeed once Freshet accepted them).
    :param deferrable: wait in the triggerer (default), holding no worker slot; ``False`` waits in
        the worker with long-polls.
    :param timeout: how long the refreshes may take; Freshet ends them as timed out (cancelling
        Tableau's jobs) and the task fails.
    :param attempts: tries when Tableau reports the refresh failed (1–10, Freshet's retry policy).
    :param freshet_conn_id: the Airflow connection of type ``freshet`` (default ``freshet_default``).
    :param idempotency_key: replaces the key derived from the DAG run, task and map index (see
        ``freshet_airflow.idempotency``).
    :param emit_assets: add an asset event for each refreshed item
        (``tableau://HOST/SITE/datasources/ID``) through the asset alias ``freshet``.

    The task returns (XCom ``return_value``) the runs as Freshet shows them; ``freshet_run_ids``
    holds their ids. A refresh that did not succeed fails the task with Tableau's notes.
    """

    template_fields: Sequence[str] = ("connection", "datasources", "workbooks", "projects", "tables", "idempotency_key")
    operator_extra_links = (FreshetRunLink(),)
    ui_color = "#e8f4fd"

    def __init__(
        self,
        *,
        connection: str,
        datasources: Sequence[str] | str = (),
        workbooks: Sequence[str] | str = (),
        projects: Sequence[str] | str = (),
        tables: Sequence[str] | str = (),
        wait: bool = True,
        deferrable: bool = True,
        timeout: timedelta | float | None = None,
        attempts: int | None = None,
        freshet_conn_id: str = FreshetHook.default_conn_name,
        idempotency_key: str | None = None,
        emit_assets: bool = True,
        **kwargs: Any,
    ) -> None:
        if emit_assets:
            kwargs["outlets"] = [*(kwargs.get("outlets") or []), AssetAlias(ASSET_ALIAS)]
        super().__init__(**kwargs)
        self.connection = connection
        self.datasources = _names(datasources)
        self.workbooks = _names(workbooks)
        self.projects = _names(projects)
        self.tables = _names(tables)
        self.wait = wait
        self.deferrable = deferrable
        self.timeout = timeout.total_seconds() if isinstance(timeout, timedelta) else timeout
        self.attempts = attempts
        self.freshet_conn_id = freshet_conn_id
        self.idempotency_key = idempotency_key
        self.emit_assets = emit_assets

    def execute(self, context: Any) -> list[dict[str, Any]]:
        wanted = targets(datasources=_names(self.datasources), workbooks=_names(self.workbooks),
                         projects=_names(self.projects), tables=_names(self.tables))
        if not wanted:
            raise AirflowException("Name at least one data source, workbook, project or table to refresh.")
        timeout_seconds = None if self.timeout is None else max(1, int(self.timeout))
        hook = FreshetHook(self.freshet_conn_id)
        with hook.get_conn() as client:
            def create(key: str) -> RunsAnswer:
                return client.create_runs(self.connection, wanted, idempotency_key=key,
                                          timeout_seconds=timeout_seconds, attempts=self.attempts)

            try:
                if self.idempotency_key:
                    answer, key = create(self.idempotency_key), self.idempotency_key
                else:
                    answer, key = start_or_adopt(create, base_key(context), context["ti"].try_number)
            except FreshetError as error:
                raise AirflowException(str(error)) from None
            results.remember(context, client, answer.runs)
            self.log.info("Freshet runs (idempotency key %s): %s", key, ", ".join(r.describe() for r in answer.runs) or "none")
            for item in answer.live_items:
                self.log.info("Not refreshed: %s %r (%s)", item.item_type, item.item_name, item.reason)
            if not self.wait or answer.finished:
                return self._complete(context, client, list(answer.runs)) if self.wait else [dict(r.raw) for r in answer.runs]
            if not self.deferrable:
                runs = client.wait(answer.runs, timeout=None if timeout_seconds is None else timeout_seconds + DEADLINE_GRACE)
                return self._complete(context, client, runs)
        deadline = None if timeout_seconds is None else time.time() + timeout_seconds + DEADLINE_GRACE
        self.defer(
            trigger=FreshetRunsTrigger(run_ids=[r.id for r in answer.runs], freshet_conn_id=self.freshet_conn_id, deadline=deadline),
            method_name="execute_complete",
        )

    def execute_complete(self, context: Any, event: dict[str, Any]) -> list[dict[str, Any]]:
        """Resumed in a worker once the trigger fired: judge the runs, emit assets."""
        if event.get("status") == "error":
            raise AirflowException(f"Waiting for Freshet failed: {event.get('message')}")
        runs = [Run.from_json(r) for r in event.get("runs") or []]
        with FreshetHook(self.freshet_conn_id).get_conn() as client:
            return self._complete(context, client, runs)

    def _complete(self, context: Any, client: FreshetClient, runs: list[Run]) -> list[dict[str, Any]]:
        results.remember(context, client, runs)
        unfinished = [r for r in runs if not r.finished]
        for run in unfinished:  # past the deadline and Freshet did not end it: stop Tableau's job
            try:
                client.cancel_run(run.id)
            except FreshetError as error:
                self.log.warning("Could not cancel run %s: %s", run.id, error)
        state = "timedOut" if unfinished else overall_state(runs)
        if self.emit_assets:
            results.emit_assets(context, client, self.connection, [r for r in runs if r.succeeded], ASSET_ALIAS, self.log)
        if state != "succeeded":
            raise AirflowException(str(RefreshFailed(runs, state)))
        self.log.info("Tableau refresh succeeded: %s", ", ".join(r.label for r in runs) or "nothing to refresh")
        return [dict(r.raw) for r in runs]


def _names(value: Sequence[str] | str | None) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]
