"""refresh_tableau: a Prefect task that refreshes Tableau content through Freshet."""

from __future__ import annotations

from typing import Sequence

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.context import TaskRunContext
from prefect.runtime import flow_run, task_run

from freshet_client import RefreshFailed, Run, bounded_key, finish, start_or_adopt, targets

from .credentials import FreshetCredentials

#: The key of the markdown artifact each refresh creates.
ARTIFACT_KEY = "freshet-refresh"


def task_key() -> str:
    """The base idempotency key of the current task call:
    ``prefect:{flow_run_id}:{task_name}:{dynamic_key}`` (the same for every try of this call, and
    for the same call in a retried flow run)."""
    context = TaskRunContext.get()
    dynamic_key = context.task_run.dynamic_key if context else "0"
    return bounded_key("prefect", flow_run.id or "no-flow", task_run.task_name or "refresh_tableau", dynamic_key)


def _tries() -> int:
    """How many times this call has been tried, counting the tries of earlier flow-run tries."""
    return max(1, int(task_run.run_count or 1)) + max(0, int(flow_run.run_count or 1) - 1)


@task(name="refresh_tableau", retries=0)
def refresh_tableau(
    credentials: FreshetCredentials,
    connection: str = "prod",
    datasources: Sequence[str] = (),
    workbooks: Sequence[str] = (),
    projects: Sequence[str] = (),
    tables: Sequence[str] = (),
    wait: bool = True,
    timeout_seconds: int | None = None,
    attempts: int | None = None,
    idempotency_key: str | None = None,
) -> list[Run]:
    """Refreshes Tableau workbooks and data sources through Freshet; with ``wait``, waits for
    Tableau's jobs. Returns the runs; raises ``RefreshFailed`` (Tableau's notes in its message) when
    one did not succeed. A markdown artifact ``freshet-refresh`` lists what was refreshed.

    Targets are what Freshet's API takes: data sources and workbooks by name, ``Project/Name`` or
    id; projects by name; tables as ``database.schema.table``. Retries are safe
    (``refresh_tableau.with_options(retries=2)``): a retry adopts a refresh that is still going or
    succeeded and refreshes again only after one that failed (``freshet_client.idempotency``).
    """
    logger = get_run_logger()
    wanted = targets(datasources=datasources, workbooks=workbooks, projects=projects, tables=tables)
    with credentials.get_client() as client:
        def create(key: str):
            return client.create_runs(connection, wanted, idempotency_key=key, timeout_seconds=timeout_seconds, attempts=attempts)

        if idempotency_key:
            answer, key = create(idempotency_key), idempotency_key
        else:
            answer, key = start_or_adopt(create, task_key(), _tries())
        logger.info("Freshet runs (idempotency key %s): %s", key, ", ".join(r.describe() for r in answer.runs) or "none")
        for item in answer.live_items:
            logger.info("Not refreshed: %s %r (%s)", item.item_type, item.item_name, item.reason)
        if not wait:
            _artifact(client, connection, list(answer.runs), "started")
            return list(answer.runs)
        runs = client.wait(answer.runs, timeout=None if timeout_seconds is None else timeout_seconds + 60)
        try:
            finished = finish(answer, runs)
        except RefreshFailed as failure:
            _artifact(client, connection, runs, failure.state)
            raise
        _artifact(client, connection, runs, finished.state)
        logger.info("Tableau refresh succeeded: %s", ", ".join(r.label for r in runs) or "nothing to refresh")
        return list(finished.runs)


def _artifact(client, connection: str, runs: list[Run], state: str) -> None:
    rows = [
        f"| {r.item_type} | {_cell(r.item_name)} | {_cell(r.project or '')} | {r.state} | {_cell(r.notes or '')} "
        f"| [{r.id[:8]}]({client.console_url(r.id)}) |"
        for r in runs
    ]
    markdown = "\n".join([
        f"### Tableau refresh through Freshet: {state}",
        f"Connection `{connection}`, {len(runs)} item(s).",
        "",
        "| type | item | project | state | Tableau's notes | run |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
    ])
    create_markdown_artifact(markdown=markdown, key=ARTIFACT_KEY, description=f"Freshet refresh ({state})")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
