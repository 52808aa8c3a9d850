"""Refresh targets as ``POST /api/v1/runs`` takes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Mapping

#: The target kinds of the OpenAPI schema RunTarget (checked by the tests).
TARGET_KINDS = ("datasource", "workbook", "project", "table", "dbt")


def targets(
    *,
    datasources: Iterable[str] = (),
    workbooks: Iterable[str] = (),
    projects: Iterable[str] = (),
    tables: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """The targets for these names: data sources and workbooks by name, ``Project/Name`` or id;
    projects by name; tables as ``database.schema.table`` (everything downstream in Tableau's
    lineage). A single string is taken as one name, not as its characters."""
    result: list[dict[str, Any]] = []
    for kind, names in (("datasource", datasources), ("workbook", workbooks), ("project", projects), ("table", tables)):
        if isinstance(names, str):
            names = [names]
        result.extend({kind: name} for name in names)
    return result


def dbt_target(run_results: Mapping[str, Any] | str | Path, manifest: Mapping[str, Any] | str | Path | None = None) -> dict[str, Any]:
    """A ``dbt`` target: refresh what is downstream of the models that succeeded in a dbt run.

    ``run_results`` and ``manifest`` are the parsed artifacts or paths to ``target/run_results.json``
    and ``target/manifest.json``. Only the members Freshet reads are sent (a manifest is mostly
    macros; the API takes bodies up to 1 MiB): each result's ``unique_id``, ``status`` and
    ``relation_name``; the relations of the nodes that ran; the exposures' ``url`` and ``depends_on``."""
    results = _load(run_results)
    kept = [{k: r.get(k) for k in ("unique_id", "status", "relation_name") if r.get(k) is not None}
            for r in results.get("results") or [] if isinstance(r, dict)]
    body: dict[str, Any] = {"runResults": {"metadata": _metadata(results), "results": kept}}
    if manifest is not None:
        full = _load(manifest)
        ran = {r.get("unique_id") for r in kept}
        nodes = {
            node_id: {k: node.get(k) for k in ("resource_type", "database", "schema", "alias", "name", "relation_name") if node.get(k) is not None}
            for node_id, node in (full.get("nodes") or {}).items() if node_id in ran and isinstance(node, dict)
        }
        exposures = {
            exposure_id: {"name": e.get("name") or exposure_id, "url": e.get("url"),
                          "depends_on": {"nodes": list((e.get("depends_on") or {}).get("nodes") or [])}}
            for exposure_id, e in (full.get("exposures") or {}).items() if isinstance(e, dict)
        }
        body["manifest"] = {"metadata": _metadata(full), "nodes": nodes, "exposures": exposures}
    return {"dbt": body}


def _metadata(artifact: Mapping[str, Any]) -> dict[str, Any]:
    version = (artifact.get("metadata") or {}).get("dbt_schema_version")
    return {"dbt_schema_version": version} if version else {}


def _load(value: Mapping[str, Any] | str | Path) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    return json.loads(Path(value).read_text(encoding="utf-8"))
