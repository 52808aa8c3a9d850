"""prefect-freshet: refresh Tableau extracts through Freshet from Prefect 3 flows.

    from prefect import flow
    from prefect_freshet import FreshetCredentials, refresh_tableau

    @flow
    def nightly():
        refresh_tableau(FreshetCredentials.load("prod"), connection="prod", datasources=["Finance/Orders"])
"""

from .credentials import FreshetCredentials
from .tasks import refresh_tableau, task_key

__all__ = ["FreshetCredentials", "refresh_tableau", "task_key"]
