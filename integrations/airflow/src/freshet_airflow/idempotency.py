"""Idempotency keys for a task's refresh, and how a retried try picks one.

The base key names the task's slot in the DAG run::

    airflow:{dag_id}:{run_id}:{task_id}:{map_index}

It does not contain the try number, so a task retried after its worker died (killed pod, OOM,
lost heartbeat) sends the same key and **adopts** the refresh its previous try started: Freshet
answers a repeated key with the same runs and calls Tableau for nothing.

A retry after a *failed* refresh must refresh again, though. So each try walks the keys of the
earlier "generations" in order (``base``, ``base:retry1``, ``base:retry2``…), each with a
``POST /api/v1/runs`` that Freshet answers from its store for a known key:

* the key's runs are still going, or succeeded → adopt them (no new refresh);
* they all ended and not every one succeeded (failed, timed out, cancelled) → try the next key;
* the key is new → Freshet creates the runs: this try's refresh.

Try *n* walks at most to ``base:retry{n-1}``, so each try creates at most one generation (a
refresh that fails at once is not refreshed again within the same try) and the walk is at most
``try_number`` requests long. The
consequence to know: clearing a task whose refresh *succeeded* adopts that success again instead
of refreshing; start a new DAG run (or pass ``idempotency_key``) to refresh again.
"""

from __future__ import annotations

from typing import Any, Mapping

from freshet_client import bounded_key, generation_key, start_or_adopt

__all__ = ["base_key", "generation_key", "start_or_adopt"]


def base_key(context: Mapping[str, Any]) -> str:
    """``airflow:{dag_id}:{run_id}:{task_id}:{map_index}`` (hashed past 200 characters)."""
    ti = context["ti"]
    map_index = getattr(ti, "map_index", -1)
    return bounded_key("airflow", ti.dag_id, ti.run_id, ti.task_id, -1 if map_index is None else map_index)
