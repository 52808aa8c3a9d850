"""The wire-format traps REST-API.md names, checked on raw responses, and the JSON form (§15)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import tableauserverclient as TSC

from conftest import pat_secret

NS = "http://tableau.com/api"
T = {"t": NS}
TABLEAU_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE_ATTRIBUTES = {"createdAt", "updatedAt", "startedAt", "completedAt", "endedAt", "lastLogin", "nextRunAt"}


@pytest.fixture(scope="module")
def session(emulator):
    """(token, site_id) of a raw XML sign-in with the fid-json PAT."""
    body = (
        '<tsRequest><credentials personalAccessTokenName="fid-json" '
        f'personalAccessTokenSecret="{pat_secret("fid-json")}"><site contentUrl=""/></credentials></tsRequest>'
    )
    response = emulator.raw("POST", "/3.24/auth/signin", data=body, headers={"Content-Type": "text/xml"})
    assert response.status_code == 200, response.text
    root = ET.fromstring(response.content)
    credentials = root.find("t:credentials", T)
    return credentials.get("token"), credentials.find("t:site", T).get("id")


def xml_root(response) -> ET.Element:
    assert response.content.startswith(b"<?xml"), response.content[:80]
    assert response.headers["Content-Type"].split(";")[0] in ("application/xml", "text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS}}}tsResponse"
    return root


# XML traps -------------------------------------------------------------------------------


def test_responses_start_with_xml_declaration_and_tableau_namespace(emulator, session):
    token, site = session
    for response in [
        emulator.raw("GET", "/3.24/serverinfo"),
        emulator.raw("GET", f"/3.24/sites/{site}/workbooks", token=token),
        emulator.raw("GET", f"/3.24/sites/{site}/workbooks", token="not-a-token"),
        emulator.raw("GET", "/9.99/serverinfo"),
    ]:
        xml_root(response)


def test_tsc_detects_the_namespace(emulator, session):
    from tableauserverclient.namespace import Namespace

    token, site = session
    for response in [
        emulator.raw("GET", "/3.24/serverinfo"),
        emulator.raw("GET", f"/3.24/sites/{site}/projects", token=token),
    ]:
        namespace = Namespace()
        namespace.detect(response.content)
        assert namespace._detected, "TSC only detects the namespace of a body starting with <?xml"
        assert namespace() == {"t": NS}
    # switch_site is where TSC 0.42 runs the detection itself.
    server = emulator.sign_in("fid-version")
    server.auth.switch_site(TSC.SiteItem("Analytics", "analytics"))
    assert server._namespace._detected
    assert [d.name for d in TSC.Pager(server.datasources)] == ["Events"]
    server.auth.sign_out()


def test_error_body_shape(emulator, session):
    token, site = session
    response = emulator.raw("GET", f"/3.24/sites/{site}/workbooks/00000000-0000-0000-0000-000000000000", token=token)
    assert response.status_code == 404
    error = xml_root(response).find("t:error", T)
    assert error.get("code") == "404006"
    assert error.find("t:summary", T).text == "Resource Not Found"
    assert error.find("t:detail", T).text


def test_every_date_has_tableau_format(emulator, session):
    token, site = session
    paths = [
        f"/3.24/sites/{site}/workbooks?pageSize=1000",
        f"/3.24/sites/{site}/datasources?pageSize=1000",
        f"/3.24/sites/{site}/users?pageSize=1000",
        f"/3.24/sites/{site}/projects",
    ]
    seen = 0
    for path in paths:
        root = xml_root(emulator.raw("GET", path, token=token))
        for element in root.iter():
            for name, value in element.attrib.items():
                if name in DATE_ATTRIBUTES:
                    assert TABLEAU_DATE.match(value), f"{path}: {element.tag} {name}={value!r}"
                    seen += 1
    assert seen > 50


def test_job_dates_have_tableau_format(emulator, session, server):
    [item] = server.datasources.filter(name="Sales Daily")
    job = server.datasources.refresh(item)
    server.jobs.wait_for_job(job, timeout=30)
    token, site = session
    root = xml_root(emulator.raw("GET", f"/3.24/sites/{site}/jobs/{job.id}", token=token))
    element = root.find("t:job", T)
    for name in ("createdAt", "startedAt", "completedAt"):
        assert TABLEAU_DATE.match(element.get(name) or ""), (name, element.get(name))
    assert element.get("finishCode") == "0"
    # And TSC parsed them: a wrong format would have silently become None.
    done = server.jobs.get_by_id(job.id)
    assert None not in (done.created_at, done.started_at, done.completed_at)


def test_pagination_is_echoed(emulator, session):
    token, site = session
    root = xml_root(emulator.raw("GET", f"/3.24/sites/{site}/workbooks?pageSize=5&pageNumber=2", token=token))
    children = list(root)
    pagination = root.find("t:pagination", T)
    assert children[0] is pagination, "pagination comes before the list"
    assert pagination.attrib == {"pageNumber": "2", "pageSize": "5", "totalAvailable": "28"}
    assert len(root.findall("t:workbooks/t:workbook", T)) == 5
    # Defaults: page 1 of 100.
    root = xml_root(emulator.raw("GET", f"/3.24/sites/{site}/datasources", token=token))
    assert root.find("t:pagination", T).attrib == {"pageNumber": "1", "pageSize": "100", "totalAvailable": "24"}
    # A page past the end is empty but still reports the total.
    root = xml_root(emulator.raw("GET", f"/3.24/sites/{site}/workbooks?pageSize=5&pageNumber=99", token=token))
    assert root.find("t:pagination", T).get("totalAvailable") == "28"
    assert root.findall("t:workbooks/t:workbook", T) == []


@pytest.mark.parametrize(
    "raw_filter, expected",
    [
        ("name:eq:Quarterly+Sales+Summary", ["Quarterly Sales Summary"]),
        ("name:eq:Quarterly%20Sales%20Summary", ["Quarterly Sales Summary"]),
        ("name:eq:Profit+%2B+Loss", ["Profit + Loss"]),
        ("name:eq:Profit+Loss", ["Profit Loss"]),
        ("name%3Aeq%3AProfit%20Loss", ["Profit Loss"]),
    ],
)
def test_query_string_plus_is_a_space(emulator, session, raw_filter, expected):
    token, site = session
    # Pass the query string pre-encoded, exactly as written.
    root = xml_root(emulator.raw("GET", f"/3.24/sites/{site}/workbooks?filter={raw_filter}", token=token))
    assert [w.get("name") for w in root.findall("t:workbooks/t:workbook", T)] == expected


@pytest.fixture
def server(emulator):
    server = emulator.sign_in("fid-admin")
    yield server
    server.auth.sign_out()


# JSON form (REST-API.md §15) ---------------------------------------------------------------


def test_json_sign_in(emulator):
    response = emulator.raw(
        "POST",
        "/3.24/auth/signin",
        json_accept=True,
        json={"credentials": {"personalAccessTokenName": "fid-analyst", "personalAccessTokenSecret": pat_secret("fid-analyst"), "site": {"contentUrl": ""}}},
    )
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"credentials"}
    credentials = body["credentials"]
    assert isinstance(credentials["token"], str) and credentials["token"]
    assert isinstance(credentials["site"]["id"], str) and credentials["site"]["contentUrl"] == ""
    assert isinstance(credentials["user"]["id"], str)


def test_json_server_info(emulator):
    body = emulator.raw("GET", "/3.24/serverinfo", json_accept=True).json()
    info = body["serverInfo"]
    assert info["restApiVersion"] == "3.24"
    assert isinstance(info["productVersion"]["value"], str) and isinstance(info["productVersion"]["build"], str)


def test_json_workbook_list_shape(emulator, session):
    token, site = session
    response = emulator.raw("GET", f"/3.24/sites/{site}/workbooks?pageSize=3", token=token, json_accept=True)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"pagination", "workbooks"}
    assert body["pagination"] == {"pageNumber": "1", "pageSize": "3", "totalAvailable": "28"}
    workbooks = body["workbooks"]["workbook"]
    assert isinstance(workbooks, list) and len(workbooks) == 3
    first = workbooks[0]
    assert isinstance(first["id"], str) and isinstance(first["name"], str)
    assert isinstance(first["project"]["id"], str) and isinstance(first["project"]["name"], str)
    assert isinstance(first["owner"]["id"], str)
    assert TABLEAU_DATE.match(first["createdAt"])
    assert isinstance(first["tags"], dict)


def test_json_single_item_list_is_still_an_array(emulator, session):
    token, site = session
    body = emulator.raw(
        "GET", f"/3.24/sites/{site}/datasources?filter=name:eq:Sales+Daily", token=token, json_accept=True
    ).json()
    assert isinstance(body["datasources"]["datasource"], list)
    assert [d["name"] for d in body["datasources"]["datasource"]] == ["Sales Daily"]
    assert body["pagination"]["totalAvailable"] == "1"


def test_json_empty_list_is_an_empty_object(emulator, session):
    token, site = session
    body = emulator.raw(
        "GET", f"/3.24/sites/{site}/workbooks?filter=name:eq:Nothing+Here", token=token, json_accept=True
    ).json()
    assert body["workbooks"] == {}
    assert body["pagination"]["totalAvailable"] == "0"


def test_json_errors_carry_string_codes(emulator, session):
    token, site = session
    unknown = emulator.raw("GET", f"/3.24/sites/{site}/workbooks", token="not-a-token", json_accept=True)
    assert unknown.status_code == 401
    assert unknown.headers["Content-Type"].startswith("application/json")
    error = unknown.json()["error"]
    assert error["code"] == "401002" and isinstance(error["code"], str)
    assert error["summary"] and error["detail"]
    missing = emulator.raw("GET", f"/3.24/sites/{site}/workbooks", json_accept=True)
    assert missing.status_code == 401
    assert missing.json() == {"error": {"code": "401000", "summary": "Unauthorized Access", "detail": "No authentication credentials were provided."}}
    version = emulator.raw("GET", "/3.99/serverinfo", json_accept=True)
    assert version.status_code == 404
    assert version.json()["error"]["code"] == "404001"


def test_json_refresh_job(emulator, session):
    token, site = session
    [item] = emulator.raw(
        "GET", f"/3.24/sites/{site}/datasources?filter=name:eq:Inventory+Hang", token=token, json_accept=True
    ).json()["datasources"]["datasource"]
    response = emulator.raw("POST", f"/3.24/sites/{site}/datasources/{item['id']}/refresh", token=token, json_accept=True, json={})
    assert response.status_code == 202, response.text
    job = response.json()["job"]
    assert job["mode"] == "Asynchronous" and job["type"] == "RefreshExtract"
    assert job["extractRefreshJob"]["datasource"]["id"] == item["id"]
    duplicate = emulator.raw("POST", f"/3.24/sites/{site}/datasources/{item['id']}/refresh", token=token, json_accept=True, json={})
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "409093"
    cancel = emulator.raw("PUT", f"/3.24/sites/{site}/jobs/{job['id']}", token=token, json_accept=True)
    assert cancel.status_code in (200, 204)
    status = emulator.raw("GET", f"/3.24/sites/{site}/jobs/{job['id']}", token=token, json_accept=True).json()["job"]
    assert status["finishCode"] == "2"
    assert TABLEAU_DATE.match(status["completedAt"])
