"""Idempotency keys that fit Freshet's limit (1–200 characters), and the walk that lets a retried
task adopt a refresh that is still going (or succeeded) but refresh again after one that failed.

A task's *base* key names its slot in the pipeline run (Airflow: DAG run, task, map index;
Prefect: flow run, task, call). Its n-th refresh uses ``generation_key(base, n)``: ``base``,
``base:retry1``, ``base:retry2``… Try *t* walks them in order with a ``POST /api/v1/runs`` each
(answered from Freshet's store for a known key, without calling Tableau):

* the key's runs are still going, or succeeded → adopt them (no new refresh): the previous try's
  worker died, or lost the answer;
* they all ended and not all succeeded (failed, timed out, cancelled) → go on to the next key;
* the key is new → Freshet creates the runs: this try's refresh.

Try *t* goes at most to ``base:retry{t-1}``, so each try creates at most one generation (a refresh
that fails at once is not refreshed again within the same try).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Callable

from .models import RunsAnswer

log = logging.getLogger(__name__)

#: Longest key Freshet accepts.
MAX_KEY_LENGTH = 200


def bounded_key(*parts: object) -> str:
    """``part:part:…``; when longer than 200 characters, its first 150 characters plus a SHA-256 of
    the whole, so distinct long keys stay distinct and the same parts always give the same key."""
    key = ":".join(str(p) for p in parts)
    if len(key) <= MAX_KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{key[:150]}#{digest[:40]}"


def generation_key(base: str, generation: int) -> str:
    """The key of the ``generation``-th refresh of one task slot (0 is the base key itself)."""
    return base if generation == 0 else bounded_key(base, f"retry{generation}")


def start_or_adopt(create: Callable[[str], RunsAnswer], base: str, try_number: int) -> tuple[RunsAnswer, str]:
    """Walks the generations with ``create(key)`` (a ``POST /api/v1/runs`` under that key) and
    returns the first answer to adopt, with its key."""
    generation = 0
    while True:
        key = generation_key(base, generation)
        answer = create(key)
        ended_badly = answer.runs and answer.finished and answer.state != "succeeded"
        if not ended_badly or generation >= try_number - 1:
            return answer, key
        log.info("The refresh under key %s ended %s; refreshing again under the next key.", key, answer.state)
        generation += 1
