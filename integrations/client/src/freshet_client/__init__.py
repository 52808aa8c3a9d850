"""freshet_client: a small typed client of Freshet's runs API, shared by the Airflow provider
(``freshet_airflow``) and the Prefect collection (``prefect_freshet``).

    from freshet_client import FreshetClient, targets
    with FreshetClient("https://freshet.example.com", token) as freshet:
        answer = freshet.refresh("prod", targets(datasources=["Sales"]), idempotency_key="nightly-2026-11-29")
"""

from .client import API_USAGE, MAX_WAIT_SECONDS, RUNS_CREATE_FIELDS, AsyncFreshetClient, FreshetClient, finish
from .errors import FreshetError, FreshetProblem, FreshetUnreachable, RefreshFailed
from .idempotency import bounded_key, generation_key, start_or_adopt
from .models import FINISHED_STATES, Attempt, Connection, LiveItem, Run, RunsAnswer, overall_state
from .targets import TARGET_KINDS, dbt_target, targets
from .uris import asset_uri

__all__ = [
    "API_USAGE", "MAX_WAIT_SECONDS", "RUNS_CREATE_FIELDS", "AsyncFreshetClient", "FreshetClient", "finish",
    "FreshetError", "FreshetProblem", "FreshetUnreachable", "RefreshFailed", "bounded_key", "generation_key", "start_or_adopt",
    "FINISHED_STATES", "Attempt", "Connection", "LiveItem", "Run", "RunsAnswer", "overall_state",
    "TARGET_KINDS", "dbt_target", "targets", "asset_uri",
]
