"""Synchronous and asynchronous clients of Freshet's runs API (``/api/v1``).

Both retry connection errors and 5xx answers (``retries`` times, exponential back-off), except a
``POST /api/v1/runs`` without an idempotency key, which is retried only when the request never
reached the server (a retried POST with a key returns the same runs, so it cannot refresh twice).
Every request has a timeout; a long-poll's read timeout is its ``waitSeconds`` plus ``timeout``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Iterable, Mapping
from urllib.parse import quote

import httpx

from .errors import FreshetProblem, FreshetUnreachable, RefreshFailed
from .models import Connection, Run, RunsAnswer, overall_state

#: Longest long-poll the API allows (seconds).
MAX_WAIT_SECONDS = 60

#: The routes and query parameters this client uses: (method, OpenAPI path, parameters).
#: The tests check each against /api/v1/openapi.yaml.
API_USAGE = (
    ("post", "/api/v1/runs", ("Idempotency-Key",)),
    ("get", "/api/v1/runs/{run}", ("waitSeconds",)),
    ("post", "/api/v1/runs/{run}/cancel", ()),
    ("get", "/api/v1/connections/{connection}", ()),
    ("get", "/api/v1/runs", ("limit",)),
)
#: The members of the RunsCreate schema this client sends.
RUNS_CREATE_FIELDS = ("connection", "targets", "idempotencyKey", "timeoutSeconds", "attempts", "waitSeconds")

USER_AGENT = "freshet-client/0.1"


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    params: dict[str, str]
    json: Any
    headers: dict[str, str]
    timeout: float
    retry_unsent_only: bool


class _Base:
    def __init__(self, url: str, token: str, *, timeout: float = 30.0, retries: int = 3, backoff: float = 0.5) -> None:
        if not url:
            raise ValueError("Freshet's URL is required (e.g. https://freshet.example.com)")
        if not token:
            raise ValueError("a Freshet API token is required")
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json", "User-Agent": USER_AGENT}

    def __repr__(self) -> str:  # never the token
        return f"{type(self).__name__}({self.url!r})"

    def console_url(self, run_id: str) -> str:
        """The run's page in Freshet's console."""
        return f"{self.url}/runs/{quote(run_id, safe='')}"

    # Requests, shared by both clients.

    def _create(
        self, connection: str, targets: Iterable[Mapping[str, Any]], idempotency_key: str | None,
        timeout_seconds: int | None, attempts: int | None, wait_seconds: int,
    ) -> _Request:
        body: dict[str, Any] = {"connection": connection, "targets": [dict(t) for t in targets]}
        if not body["targets"]:
            raise ValueError("name at least one target (datasources, workbooks, projects, tables or dbt)")
        headers = {}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        if timeout_seconds is not None:
            body["timeoutSeconds"] = int(timeout_seconds)
        if attempts is not None:
            body["attempts"] = int(attempts)
        wait = _clamp(wait_seconds)
        if wait:
            body["waitSeconds"] = wait
        return _Request("POST", "/api/v1/runs", {}, body, headers, self.timeout + wait, not idempotency_key)

    def _get_run(self, run_id: str, wait_seconds: int) -> _Request:
        wait = _clamp(wait_seconds)
        params = {"waitSeconds": str(wait)} if wait else {}
        return _Request("GET", f"/api/v1/runs/{quote(run_id, safe='')}", params, None, {}, self.timeout + wait, False)

    def _cancel(self, run_id: str) -> _Request:
        return _Request("POST", f"/api/v1/runs/{quote(run_id, safe='')}/cancel", {}, None, {}, self.timeout, False)

    def _connection(self, name: str) -> _Request:
        return _Request("GET", f"/api/v1/connections/{quote(name, safe='')}", {}, None, {}, self.timeout, False)

    def _check(self) -> _Request:
        return _Request("GET", "/api/v1/runs", {"limit": "1"}, None, {}, self.timeout, False)

    def _delay(self, attempt: int) -> float:
        return min(self.backoff * (2 ** attempt), 10.0)

    @staticmethod
    def _retryable(error: Exception | None, response: httpx.Response | None, request: _Request) -> bool:
        if response is not None:
            return response.status_code >= 500 and not request.retry_unsent_only
        if isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout)):
            return True  # never reached the server
        return isinstance(error, httpx.TransportError) and not request.retry_unsent_only

    @staticmethod
    def _decode(response: httpx.Response, request: _Request) -> Any:
        if response.status_code >= 400:
            try:
                document = response.json()
            except ValueError:
                document = {"detail": response.text[:500]}
            raise FreshetProblem(response.status_code, document if isinstance(document, dict) else {}, request.method, request.path)
        return response.json()


class FreshetClient(_Base):
    """Blocking client. ``FreshetClient(url, token)``; use as a context manager or call ``close``."""

    def __init__(self, url: str, token: str, *, timeout: float = 30.0, retries: int = 3, backoff: float = 0.5,
                 transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(url, token, timeout=timeout, retries=retries, backoff=backoff)
        self._http = httpx.Client(base_url=self.url, headers=self._headers, transport=transport)

    def __enter__(self) -> "FreshetClient":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def create_runs(
        self, connection: str, targets: Iterable[Mapping[str, Any]], *, idempotency_key: str | None = None,
        timeout_seconds: int | None = None, attempts: int | None = None, wait_seconds: int = 0,
    ) -> RunsAnswer:
        """``POST /api/v1/runs``: refresh the targets now (or join/adopt what already runs)."""
        request = self._create(connection, targets, idempotency_key, timeout_seconds, attempts, wait_seconds)
        return RunsAnswer.from_json(self._send(request))

    def get_run(self, run_id: str, *, wait_seconds: int = 0) -> Run:
        """``GET /api/v1/runs/{run}``; with ``wait_seconds`` (≤ 60) held until it ends or the time is up."""
        return Run.from_json(self._send(self._get_run(run_id, wait_seconds)))

    def cancel_run(self, run_id: str) -> Run:
        """``POST /api/v1/runs/{run}/cancel``: cancel the run and its Tableau job."""
        return Run.from_json(self._send(self._cancel(run_id)))

    def get_connection(self, name: str) -> Connection:
        """``GET /api/v1/connections/{connection}`` (scope ``read``)."""
        return Connection.from_json(self._send(self._connection(name)))

    def check(self) -> None:
        """Reads one page of runs: raises unless Freshet answers and accepts the token."""
        self._send(self._check())

    def wait(self, runs: Iterable[Run], *, timeout: float | None = None) -> list[Run]:
        """Long-polls every unfinished run until all ended or ``timeout`` seconds passed; the runs as they stand."""
        current = list(runs)
        deadline = None if timeout is None else time.monotonic() + timeout
        for index, run in enumerate(current):
            while not run.finished:
                left = MAX_WAIT_SECONDS if deadline is None else deadline - time.monotonic()
                if left <= 0:
                    return current
                run = self.get_run(run.id, wait_seconds=max(1, min(MAX_WAIT_SECONDS, int(left))))
                current[index] = run
        return current

    def refresh(
        self, connection: str, targets: Iterable[Mapping[str, Any]], *, idempotency_key: str | None = None,
        timeout_seconds: int | None = None, attempts: int | None = None, wait: bool = True,
    ) -> RunsAnswer:
        """Creates the runs and, with ``wait``, waits for them; raises ``RefreshFailed`` (with Tableau's
        notes) when any ended without succeeding."""
        answer = self.create_runs(connection, targets, idempotency_key=idempotency_key, timeout_seconds=timeout_seconds,
                                  attempts=attempts, wait_seconds=MAX_WAIT_SECONDS if wait else 0)
        if not wait:
            return answer
        runs = self.wait(answer.runs, timeout=None if timeout_seconds is None else timeout_seconds + 30)
        return finish(answer, runs)

    def _send(self, request: _Request) -> Any:
        attempt = 0
        while True:
            error: Exception | None = None
            response: httpx.Response | None = None
            try:
                response = self._http.request(request.method, request.path, params=request.params, json=request.json,
                                              headers=request.headers, timeout=request.timeout)
            except httpx.TransportError as caught:
                error = caught
            if (error is not None or (response is not None and response.status_code >= 500)) \
                    and attempt < self.retries and self._retryable(error, response, request):
                time.sleep(self._delay(attempt))
                attempt += 1
                continue
            if error is not None:
                raise FreshetUnreachable(f"could not reach Freshet at {self.url}: {type(error).__name__}: {error}") from None
            assert response is not None
            return self._decode(response, request)


class AsyncFreshetClient(_Base):
    """The same API for asyncio (Airflow triggers, async Prefect tasks)."""

    def __init__(self, url: str, token: str, *, timeout: float = 30.0, retries: int = 3, backoff: float = 0.5,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__(url, token, timeout=timeout, retries=retries, backoff=backoff)
        self._http = httpx.AsyncClient(base_url=self.url, headers=self._headers, transport=transport)

    async def __aenter__(self) -> "AsyncFreshetClient":
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def create_runs(
        self, connection: str, targets: Iterable[Mapping[str, Any]], *, idempotency_key: str | None = None,
        timeout_seconds: int | None = None, attempts: int | None = None, wait_seconds: int = 0,
    ) -> RunsAnswer:
        request = self._create(connection, targets, idempotency_key, timeout_seconds, attempts, wait_seconds)
        return RunsAnswer.from_json(await self._send(request))

    async def get_run(self, run_id: str, *, wait_seconds: int = 0) -> Run:
        return Run.from_json(await self._send(self._get_run(run_id, wait_seconds)))

    async def cancel_run(self, run_id: str) -> Run:
        return Run.from_json(await self._send(self._cancel(run_id)))

    async def get_connection(self, name: str) -> Connection:
        return Connection.from_json(await self._send(self._connection(name)))

    async def check(self) -> None:
        await self._send(self._check())

    async def wait(self, runs: Iterable[Run], *, timeout: float | None = None) -> list[Run]:
        """Long-polls the unfinished runs concurrently until all ended or ``timeout`` seconds passed."""
        deadline = None if timeout is None else time.monotonic() + timeout

        async def one(run: Run) -> Run:
            while not run.finished:
                left = MAX_WAIT_SECONDS if deadline is None else deadline - time.monotonic()
                if left <= 0:
                    return run
                run = await self.get_run(run.id, wait_seconds=max(1, min(MAX_WAIT_SECONDS, int(left))))
            return run

        return list(await asyncio.gather(*(one(r) for r in runs)))

    async def _send(self, request: _Request) -> Any:
        attempt = 0
        while True:
            error: Exception | None = None
            response: httpx.Response | None = None
            try:
                response = await self._http.request(request.method, request.path, params=request.params, json=request.json,
                                                    headers=request.headers, timeout=request.timeout)
            except httpx.TransportError as caught:
                error = caught
            if (error is not None or (response is not None and response.status_code >= 500)) \
                    and attempt < self.retries and self._retryable(error, response, request):
                await asyncio.sleep(self._delay(attempt))
                attempt += 1
                continue
            if error is not None:
                raise FreshetUnreachable(f"could not reach Freshet at {self.url}: {type(error).__name__}: {error}") from None
            assert response is not None
            return self._decode(response, request)


def finish(answer: RunsAnswer, runs: list[Run]) -> RunsAnswer:
    """The answer with ``runs`` as they ended; raises ``RefreshFailed`` unless every run succeeded
    (a run still going after the wait counts as timed out)."""
    state = overall_state(runs)
    if state == "running":
        state = "timedOut"
    ended = RunsAnswer(runs=tuple(runs), live_items=answer.live_items, state=state, finished=state != "timedOut" or all(r.finished for r in runs))
    if state != "succeeded":
        raise RefreshFailed(runs, state)
    return ended


def _clamp(wait_seconds: int) -> int:
    return max(0, min(MAX_WAIT_SECONDS, int(wait_seconds)))
