"""Errors the client raises. None of them ever carries the API token."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .models import Run


class FreshetError(Exception):
    """Base class of every error of this package."""


class FreshetUnreachable(FreshetError):
    """Freshet could not be reached (connection refused, DNS, timeout) after the retries."""


class FreshetProblem(FreshetError):
    """Freshet answered with an RFC 9457 problem document (4xx or 5xx).

    ``status``, ``type``, ``detail``, ``field`` and ``tableau`` (Tableau's own error when Tableau is
    the cause) are the document's members.
    """

    PROBLEM_FIELDS = ("type", "title", "status", "detail", "field", "missingScope", "tableau")

    def __init__(self, status: int, document: Mapping[str, Any] | None, method: str, path: str) -> None:
        self.status = status
        self.document = dict(document or {})
        self.type = str(self.document.get("type") or "")
        self.detail = str(self.document.get("detail") or self.document.get("title") or f"HTTP {status}")
        self.field = self.document.get("field")
        self.tableau = self.document.get("tableau")
        super().__init__(f"Freshet answered {status} to {method} {path}: {self.detail}")


class RefreshFailed(FreshetError):
    """Some runs ended without succeeding; the message carries Tableau's notes for each."""

    def __init__(self, runs: Sequence[Run], state: str) -> None:
        self.runs = tuple(runs)
        self.state = state
        bad = [r for r in runs if not r.succeeded]
        lines = "\n".join(f"  - {r.describe()}" for r in bad)
        super().__init__(f"Tableau refresh {state}: {len(bad)} of {len(runs)} item(s) did not succeed\n{lines}")
