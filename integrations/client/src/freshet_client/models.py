"""What Freshet's runs API answers, as typed, read-only values.

Each model names the OpenAPI schema it reads (``SCHEMA``) and maps its attributes to the JSON
fields of that schema (``FIELDS``: attribute -> JSON name). Parsing is lenient: unknown fields
are ignored, absent optional fields are ``None``. ``tests`` check every name here against the
OpenAPI document Freshet serves (/api/v1/openapi.yaml), so a renamed field fails a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

#: Run states that are final.
FINISHED_STATES = frozenset({"succeeded", "failed", "cancelled", "timedOut"})


@dataclass(frozen=True)
class Attempt:
    """One try of a run (a Tableau job, or a transient failure before one)."""

    SCHEMA: ClassVar[str] = "Run.attempts"
    FIELDS: ClassVar[dict[str, str]] = {
        "number": "number", "job_id": "jobId", "joined_existing": "joinedExisting", "outcome": "outcome", "message": "message",
    }

    number: int
    outcome: str
    joined_existing: bool = False
    job_id: str | None = None
    message: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Attempt":
        return cls(**_pick(cls.FIELDS, data))


@dataclass(frozen=True)
class Run:
    """One workbook or data source being refreshed (a durable run)."""

    SCHEMA: ClassVar[str] = "Run"
    FIELDS: ClassVar[dict[str, str]] = {
        "id": "id", "connection_id": "connectionId", "target": "target", "item_type": "itemType", "item_id": "itemId",
        "item_name": "itemName", "project": "project", "state": "state", "finished": "finished", "job_id": "jobId",
        "notes": "notes", "idempotency_key": "idempotencyKey", "created_at": "createdAt", "updated_at": "updatedAt",
        "attempts": "attempts",
    }

    id: str
    state: str
    finished: bool
    item_type: str = ""
    item_id: str = ""
    item_name: str = ""
    connection_id: str = ""
    target: str = ""
    project: str | None = None
    job_id: str | None = None
    notes: str | None = None
    idempotency_key: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    attempts: tuple[Attempt, ...] = ()
    #: The JSON the server sent, unchanged (for logging or XCom).
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Run":
        values = _pick(cls.FIELDS, data)
        values["attempts"] = tuple(Attempt.from_json(a) for a in values.get("attempts") or ())
        values.setdefault("finished", values.get("state") in FINISHED_STATES)
        return cls(raw=dict(data), **values)

    @property
    def succeeded(self) -> bool:
        return self.state == "succeeded"

    @property
    def label(self) -> str:
        """``datasource "Sales" (Default)``: what the run refreshes, for messages."""
        where = f" ({self.project})" if self.project else ""
        return f'{self.item_type} "{self.item_name}"{where}'

    def describe(self) -> str:
        """One line: the item, the state and Tableau's notes when there are any."""
        notes = f": {self.notes}" if self.notes else ""
        return f"{self.label} {self.state}{notes} (run {self.id})"


@dataclass(frozen=True)
class LiveItem:
    """An item a target resolved to that has no extract (a live connection): nothing to refresh."""

    SCHEMA: ClassVar[str] = "LiveItem"
    FIELDS: ClassVar[dict[str, str]] = {
        "item_type": "itemType", "item_id": "itemId", "item_name": "itemName", "project": "project", "reason": "reason",
    }

    item_type: str
    item_id: str
    item_name: str
    reason: str = ""
    project: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "LiveItem":
        return cls(**_pick(cls.FIELDS, data))


@dataclass(frozen=True)
class RunsAnswer:
    """The answer of ``POST /api/v1/runs``: the runs, the live items and the overall state."""

    SCHEMA: ClassVar[str] = "RunsAnswer"
    FIELDS: ClassVar[dict[str, str]] = {"runs": "runs", "live_items": "liveItems", "state": "state", "finished": "finished"}

    runs: tuple[Run, ...]
    live_items: tuple[LiveItem, ...] = ()
    state: str = "running"
    finished: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "RunsAnswer":
        values = _pick(cls.FIELDS, data)
        runs = tuple(Run.from_json(r) for r in values.pop("runs", None) or ())
        live = tuple(LiveItem.from_json(i) for i in values.pop("live_items", None) or ())
        values.setdefault("finished", all(r.finished for r in runs))
        values.setdefault("state", overall_state(runs))
        return cls(runs=runs, live_items=live, **values)


@dataclass(frozen=True)
class Connection:
    """A Tableau connection as Freshet shows it (never its secret)."""

    SCHEMA: ClassVar[str] = "Connection"
    FIELDS: ClassVar[dict[str, str]] = {
        "id": "id", "name": "name", "server_url": "serverURL", "site_content_url": "siteContentUrl",
    }

    id: str
    name: str
    server_url: str
    site_content_url: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Connection":
        return cls(**_pick(cls.FIELDS, data))


def overall_state(runs: "tuple[Run, ...] | list[Run]") -> str:
    """``running`` until every run ended, then the worst outcome, ranked as Freshet ranks it
    (failed > timedOut > cancelled > succeeded)."""
    if not all(r.finished for r in runs):
        return "running"
    states = {r.state for r in runs}
    for state in ("failed", "timedOut", "cancelled"):
        if state in states:
            return state
    return "succeeded"


def _pick(fields: Mapping[str, str], data: Mapping[str, Any]) -> dict[str, Any]:
    return {attribute: data[name] for attribute, name in fields.items() if data.get(name) is not None}
