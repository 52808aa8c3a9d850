"""Issue #21 items 1-5 and 8, through tableauserverclient: Query Site by a name with a space,
Query Views for Site / Get View, data source connections and revisions, data quality warnings,
and connected-app JWT reuse (strict by default, allowed within the token's lifetime by option)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

import pytest
import tableauserverclient as TSC
from tableauserverclient.server.endpoint.exceptions import FailedSignInError, ServerResponseError

from conftest import SEED

APP = {"clientId": "fid-app", "secretId": "fid-app-kid", "secretValue": "fid-app-secret-value-0123456789abcdef"}


def gap_seed(tmp_dir, jwt_reuse: str = "refuse"):
    seed = json.loads(SEED.read_text())
    seed["server"]["maxApiVersion"] = "3.27"  # populate_revisions needs 3.26
    seed["server"]["jwtReuse"] = jwt_reuse
    default = seed["sites"][0]
    default["connectedApps"] = [APP]
    default["tables"] = [{"database": "warehouse", "schema": "public", "name": "orders", "connectionType": "postgres"}]
    sales = next(d for d in default["datasources"] if d["name"] == "Sales Daily")
    sales["upstreamTables"] = ["warehouse.public.orders"]
    board = next(w for w in default["workbooks"] if w["name"] == "Executive Dashboard")
    board["dashboards"] = ["Board Room"]
    seed["sites"].append(
        {
            "name": "Acme Analytics",
            "contentUrl": "acme",
            "users": [{"name": "admin@example.com", "siteRole": "SiteAdministratorCreator"}],
        }
    )
    path = tmp_dir / f"seed-{jwt_reuse}.json"
    path.write_text(json.dumps(seed))
    return path


@pytest.fixture(scope="module")
def emulator(start_emulator, tmp_path_factory):
    return start_emulator(seed=gap_seed(tmp_path_factory.mktemp("gaps")))


def jwt(subject="admin@example.com", lifetime=300, jti=None) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = {"alg": "HS256", "typ": "JWT", "kid": APP["secretId"], "iss": APP["clientId"]}
    now = int(time.time())
    payload = {
        "iss": APP["clientId"], "sub": subject, "aud": "tableau", "exp": now + lifetime, "iat": now,
        "jti": jti or str(uuid.uuid4()), "scp": ["tableau:content:read"],
    }
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    signature = hmac.new(APP["secretValue"].encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


def datasource(server, name):
    [item] = server.datasources.filter(name=name)
    return item


# 1. Query Site by name ---------------------------------------------------------------------------


def test_query_site_by_a_name_with_a_space(emulator):
    server = emulator.sign_in("fid-admin", site="acme")
    site = server.sites.get_by_name("Acme Analytics")
    assert site.content_url == "acme"
    assert site.name == "Acme Analytics"
    log = [r for r in emulator.request_log() if r["query"] == "key=name"]
    assert log and log[-1]["path"].endswith("/sites/Acme%20Analytics") and log[-1]["status"] == 200


# 2-3. Views -----------------------------------------------------------------------------------------


# seed.json: 5 named + 23 generated workbooks with one view each, but Executive Dashboard has
# Overview, Regions and (in this module's seed) the dashboard Board Room.
VIEWS = 5 + 23 + 2


def test_query_views_for_site_pages_and_filters(server):
    views = list(TSC.Pager(server.views, TSC.RequestOptions(pagesize=3)))
    assert len(views) == VIEWS and len({v.id for v in views}) == VIEWS
    for view in views:
        assert view.workbook_id and view.owner_id and view.project_id
        assert view.created_at is not None and view.content_url

    options = TSC.RequestOptions()
    options.filter.add(TSC.Filter(TSC.RequestOptions.Field.Name, TSC.RequestOptions.Operator.Equals, "Regions"))
    regions, pagination = server.views.get(options)
    assert [v.name for v in regions] == ["Regions"] and pagination.total_available == 1
    assert regions[0].content_url == "ExecutiveDashboard/sheets/Regions"

    dashboards = TSC.RequestOptions()
    dashboards.filter.add(TSC.Filter(TSC.RequestOptions.Field.SheetType, TSC.RequestOptions.Operator.Equals, "dashboard"))
    found, _ = server.views.get(dashboards)
    assert [(v.name, v.sheet_type) for v in found] == [("Board Room", "dashboard")]


def test_query_views_with_usage_and_get_view(server):
    views, _ = server.views.get(usage=True)
    assert all(v.total_views is not None for v in views)
    [regions] = [v for v in views if v.name == "Regions"]
    view = server.views.get_by_id(regions.id)
    assert view.name == "Regions" and view.workbook_id == regions.workbook_id
    with pytest.raises(ServerResponseError) as missing:
        server.views.get_by_id("00000000-0000-0000-0000-000000000000")
    assert missing.value.code == "404000"


# 4. Connections and revisions -------------------------------------------------------------------


def test_datasource_connections_and_update(server):
    item = datasource(server, "Sales Daily")
    server.datasources.populate_connections(item)
    [connection] = item.connections
    assert connection.connection_type == "postgres"
    assert connection.server_address == "warehouse.db.example.com"
    assert connection.server_port == "5432"
    connection.server_address = "replica.example.com"
    connection.username = "etl"
    connection.password = "never-echoed"
    connection.embed_password = True
    updated = server.datasources.update_connection(item, connection)
    assert updated.server_address == "replica.example.com" and updated.username == "etl"
    server.datasources.populate_connections(item)
    assert item.connections[0].server_address == "replica.example.com"


def test_workbook_connections_name_the_published_datasource(server):
    [book] = server.workbooks.filter(name="Executive Dashboard")
    server.workbooks.populate_connections(book)
    assert [(c.connection_type, c.datasource_name) for c in book.connections] == [("sqlproxy", "Sales Daily")]


def test_datasource_revisions(server):
    item = datasource(server, "Sales Daily")
    server.datasources.populate_revisions(item)
    [revision] = item.revisions
    assert revision.revision_number == "1" and revision.current and revision.user_name == "admin@example.com"


# 5. Data quality warnings -----------------------------------------------------------------------


def test_data_quality_warnings_add_populate_update_delete(server):
    item = datasource(server, "Sales Daily")
    warning = TSC.DQWItem(TSC.DQWItem.WarningType.STALE, "Nightly load is late", active=True, severe=False)
    [added] = server.datasources.add_dqw(item, warning)
    assert added.id and added.warning_type == "STALE" and added.message == "Nightly load is late"
    assert added.content_id == item.id and added.owner_id and added.created_at is not None

    server.datasources.populate_dqw(item)
    assert [(w.id, w.severe) for w in item.dqws] == [(added.id, False)]

    warning.severe = True
    warning.message = "Two days late"
    [updated] = server.datasources.update_dqw(item, warning)
    assert updated.id == added.id and updated.severe and updated.message == "Two days late"

    server.datasources.delete_dqw(item)
    server.datasources.populate_dqw(item)
    assert item.dqws == []


def test_data_quality_warning_on_a_table(server):
    result = server.metadata.query('{ databaseTables(filter: {name: "orders"}) { luid } }')
    luid = result["data"]["databaseTables"][0]["luid"]
    table = TSC.TableItem("orders")
    table._id = luid
    [added] = server.tables.add_dqw(table, TSC.DQWItem(TSC.DQWItem.WarningType.MAINTENANCE, "Vacuum tonight"))
    assert added.content_type == "TABLE" and added.content_id == luid
    server.tables.delete_dqw(table)


# 8. Connected-app JWT reuse ---------------------------------------------------------------------


def test_a_jwt_signs_in_once_by_default(emulator):
    token = jwt()
    server = emulator.client(use_server_version=True)
    server.auth.sign_in(TSC.JWTAuth(token, site_id=""))
    assert server.auth_token
    again = emulator.client(use_server_version=True)
    with pytest.raises(FailedSignInError):
        again.auth.sign_in(TSC.JWTAuth(token, site_id=""))


def test_a_static_jwt_signs_in_again_when_the_seed_allows_reuse(start_emulator, tmp_path_factory):
    lenient = start_emulator(seed=gap_seed(tmp_path_factory.mktemp("reuse"), jwt_reuse="allowWithinLifetime"))
    token = jwt(jti="static-airflow-connection")
    for _ in range(3):
        server = lenient.client(use_server_version=True)
        server.auth.sign_in(TSC.JWTAuth(token, site_id=""))
        assert server.auth_token
        server.auth.sign_out()
