"""What a finished refresh leaves in Airflow: XComs, the console link, asset events."""

from __future__ import annotations

from typing import Any, Sequence

from airflow.sdk import Asset, AssetAlias

from freshet_client import FreshetClient, FreshetError, Run, asset_uri

from .links import CONSOLE_URL_KEY

#: XCom key with the ids of the task's runs.
RUN_IDS_KEY = "freshet_run_ids"


def remember(context: Any, client: FreshetClient, runs: Sequence[Run]) -> None:
    """Pushes the run ids and the console URL of the first run (the extra link reads it)."""
    ti = context["ti"]
    ti.xcom_push(key=RUN_IDS_KEY, value=[r.id for r in runs])
    if runs:
        ti.xcom_push(key=CONSOLE_URL_KEY, value=client.console_url(runs[0].id))


def emit_assets(context: Any, client: FreshetClient, connection: str, runs: Sequence[Run], alias: str, log: Any) -> list[str]:
    """Adds an asset event ``tableau://HOST/SITE/{datasources|workbooks}/ID`` for each run through
    the asset alias; returns the URIs. HOST and SITE come from the Freshet connection (which needs
    the token's ``read`` scope); without them no event is emitted and a warning says why."""
    if not runs:
        return []
    try:
        site = client.get_connection(connection)
    except FreshetError as error:
        log.warning("No asset events: could not read Freshet connection %r (%s)", connection, error)
        return []
    uris = []
    events = context["outlet_events"][AssetAlias(alias)]
    for run in runs:
        uri = asset_uri(site.server_url, site.site_content_url, run.item_type, run.item_id)
        events.add(Asset(uri=uri, name=uri), extra={"freshetRunId": run.id, "itemName": run.item_name, "jobId": run.job_id or ""})
        uris.append(uri)
    log.info("Asset events: %s", ", ".join(uris))
    return uris
