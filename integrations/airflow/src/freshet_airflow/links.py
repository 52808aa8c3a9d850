"""The "Freshet run" extra link: the run's page in Freshet's console (``{freshet}/runs/{id}``)."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperatorLink

#: XCom key holding the console URL of the task's (first) run.
CONSOLE_URL_KEY = "freshet_console_url"


class FreshetRunLink(BaseOperatorLink):
    """Opens the task's run in Freshet's console (the first run when the task refreshed several items)."""

    name = "Freshet run"

    def get_link(self, operator: Any, *, ti_key: Any) -> str:
        from airflow.sdk.execution_time.xcom import XCom

        return XCom.get_value(ti_key=ti_key, key=CONSOLE_URL_KEY) or ""
