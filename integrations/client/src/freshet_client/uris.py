"""Stable URIs naming Tableau items, for orchestrators' data-aware scheduling (Airflow assets).

``tableau://HOST/SITE/datasources/ID`` and ``tableau://HOST/SITE/workbooks/ID``: HOST is the
Tableau server's host (and port, when not the default), lower-cased; SITE is the site's content
URL, or ``default`` for the Default site (whose content URL is empty); ID is the item's Tableau
id (LUID), which stays the same when the item is renamed or moved.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

#: The SITE segment of the Default site.
DEFAULT_SITE = "default"


def asset_uri(server_url: str, site_content_url: str, item_type: str, item_id: str) -> str:
    """The URI of one workbook or data source (``item_type`` ``workbook`` or ``datasource``)."""
    parts = urlsplit(server_url if "//" in server_url else f"//{server_url}")
    host = (parts.netloc.rsplit("@", 1)[-1] or server_url).lower()
    default_port = {"https": ":443", "http": ":80"}.get(parts.scheme, "")
    if default_port and host.endswith(default_port):
        host = host[: -len(default_port)]
    site = site_content_url or DEFAULT_SITE
    kind = {"datasource": "datasources", "workbook": "workbooks"}.get(item_type, f"{item_type}s")
    return f"tableau://{host}/{quote(site, safe='')}/{kind}/{quote(item_id, safe='')}"
