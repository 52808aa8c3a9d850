"""FreshetRunsTrigger: long-polls Freshet in the triggerer until runs end, so no worker slot waits."""

from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator

from airflow.triggers.base import BaseTrigger, TriggerEvent

from freshet_client import FreshetError, FreshetUnreachable, Run


class FreshetRunsTrigger(BaseTrigger):
    """Fires once every run in ``run_ids`` has ended, or at ``deadline`` (epoch seconds, optional).

    Each unfinished run is long-polled (``GET /api/v1/runs/{id}?waitSeconds=60``), all at once, so
    the event fires within a request's round trip of the last job ending. The event's payload:
    ``{"status": "finished" | "deadline" | "error", "runs": [run JSON…], "message": …}``.
    """

    #: Consecutive "unreachable" failures (each after the client's own retries) before giving up.
    MAX_OUTAGES = 30
    OUTAGE_PAUSE = 10.0

    def __init__(self, run_ids: list[str], freshet_conn_id: str, deadline: float | None = None) -> None:
        super().__init__()
        self.run_ids = list(run_ids)
        self.freshet_conn_id = freshet_conn_id
        self.deadline = deadline

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            "freshet_airflow.triggers.FreshetRunsTrigger",
            {"run_ids": self.run_ids, "freshet_conn_id": self.freshet_conn_id, "deadline": self.deadline},
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        from .hooks import FreshetHook

        runs = [Run(id=run_id, state="accepted", finished=False) for run_id in self.run_ids]
        outages = 0
        while True:
            try:
                async with await FreshetHook(self.freshet_conn_id).aget_client() as client:
                    timeout = None if self.deadline is None else max(0.0, self.deadline - time.time())
                    runs = await client.wait(runs, timeout=timeout)
                break
            except FreshetUnreachable as error:
                # Freshet restarting (a deploy) must not fail a long refresh: wait, up to ~5 minutes.
                outages += 1
                if outages > self.MAX_OUTAGES:
                    yield TriggerEvent({"status": "error", "message": str(error), "runs": []})
                    return
                self.log.warning("Freshet unreachable (%s); trying again in %s s", error, self.OUTAGE_PAUSE)
                await asyncio.sleep(self.OUTAGE_PAUSE)
            except FreshetError as error:
                yield TriggerEvent({"status": "error", "message": str(error), "runs": []})
                return
        status = "finished" if all(r.finished for r in runs) else "deadline"
        yield TriggerEvent({"status": status, "runs": [dict(r.raw) for r in runs]})
