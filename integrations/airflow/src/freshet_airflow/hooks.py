"""FreshetHook: Freshet's URL and API token from an Airflow connection of type ``freshet``."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseHook

from freshet_client import AsyncFreshetClient, FreshetClient, FreshetError


class FreshetHook(BaseHook):
    """Clients of Freshet's API for the connection ``freshet_conn_id`` (default ``freshet_default``).

    The connection: *host* is Freshet's URL (``https://freshet.example.com``; without a scheme,
    ``https://`` unless the extra ``scheme`` says otherwise; *port* is appended when set), *password*
    is an API token with the scopes ``refresh`` and ``read``; the extra may set ``timeout``
    (seconds per request besides a long-poll's wait, default 30) and ``retries`` (after connection
    errors and 5xx answers, default 3). For example::

        AIRFLOW_CONN_FRESHET_DEFAULT='{"conn_type": "freshet", "host": "https://freshet.example.com", "password": "fsh_…"}'
    """

    conn_name_attr = "freshet_conn_id"
    default_conn_name = "freshet_default"
    conn_type = "freshet"
    hook_name = "Freshet"

    def __init__(self, freshet_conn_id: str = default_conn_name, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.freshet_conn_id = freshet_conn_id

    @staticmethod
    def settings(connection: Any) -> dict[str, Any]:
        """The client's arguments (url, token, timeout, retries) from an Airflow connection."""
        extra = connection.extra_dejson or {}
        host = (connection.host or "").strip()
        if not host:
            raise ValueError(f"connection {connection.conn_id!r}: the host (Freshet's URL) is empty")
        if "://" not in host:
            host = f"{extra.get('scheme') or 'https'}://{host}"
        host = host.rstrip("/")
        if connection.port and host.count(":") < 2:
            host = f"{host}:{connection.port}"
        if not connection.password:
            raise ValueError(f"connection {connection.conn_id!r}: the password (Freshet API token) is empty")
        timeout = _extra(extra, "timeout")
        retries = _extra(extra, "retries")
        return {
            "url": host,
            "token": connection.password,
            "timeout": float(timeout) if timeout else 30.0,
            "retries": int(retries) if retries is not None else 3,
        }

    def get_conn(self) -> FreshetClient:
        """A blocking client (close it, or use it as a context manager)."""
        return FreshetClient(**self.settings(self.get_connection(self.freshet_conn_id)))

    async def aget_client(self) -> AsyncFreshetClient:
        """An asyncio client, for triggers; reads the connection without blocking the event loop."""
        return AsyncFreshetClient(**self.settings(await self.aget_connection(self.freshet_conn_id)))

    def console_url(self, run_id: str) -> str:
        """The run's page in Freshet's console."""
        with self.get_conn() as client:
            return client.console_url(run_id)

    def test_connection(self) -> tuple[bool, str]:
        """The UI's *Test* button: reads one page of runs with the token."""
        try:
            with self.get_conn() as client:
                client.check()
            return True, "Freshet answered and accepted the token."
        except (FreshetError, ValueError) as error:
            return False, str(error)


def _extra(extra: dict[str, Any], name: str) -> Any:
    """An extra field as the form stores it (``name`` or ``extra__freshet__name``); None when blank."""
    for key in (name, f"extra__freshet__{name}"):
        if extra.get(key) not in (None, ""):
            return extra[key]
    return None
