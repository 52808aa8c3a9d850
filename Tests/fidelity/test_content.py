"""Workbooks, data sources and projects: paging, filtering, get by id."""

from __future__ import annotations

import math
from datetime import datetime, timezone

import pytest
import tableauserverclient as TSC
from tableauserverclient.server.endpoint.exceptions import ServerResponseError

# seed.json: 5 named workbooks + 23 generated; 7 named data sources + 17 generated.
WORKBOOKS = 5 + 23
DATASOURCES = 7 + 17
PAGE_SIZE = 5


def list_requests(emulator, collection: str) -> list[dict]:
    return [r for r in emulator.request_log() if r["method"] == "GET" and r["path"].endswith(f"/{collection}")]


@pytest.mark.parametrize(
    "collection, expected",
    [("workbooks", WORKBOOKS), ("datasources", DATASOURCES)],
)
def test_pager_sees_every_item_exactly_once(emulator, server, collection, expected):
    endpoint = getattr(server, collection)
    emulator.clear_request_log()
    items = list(TSC.Pager(endpoint, TSC.RequestOptions(pagesize=PAGE_SIZE)))
    ids = [item.id for item in items]
    assert len(ids) == expected
    assert len(set(ids)) == expected, "an item was returned on two pages"
    names = {item.name for item in items}
    assert len(names) == expected
    requests_made = list_requests(emulator, collection)
    assert len(requests_made) == math.ceil(expected / PAGE_SIZE)
    pages = sorted(int(dict(p.split("=") for p in r["query"].split("&"))["pageNumber"]) for r in requests_made[1:])
    assert pages == list(range(2, math.ceil(expected / PAGE_SIZE) + 1))
    # Every item came with parseable dates (TSC silently yields None for a wrong format).
    for item in items:
        assert item.created_at is not None, item.name
        assert item.updated_at is not None, item.name
        assert item.created_at.tzinfo is not None
        assert item.project_id and item.project_name


def test_one_page_reports_pagination(server):
    items, pagination = server.workbooks.get(TSC.RequestOptions(pagenumber=2, pagesize=PAGE_SIZE))
    assert len(items) == PAGE_SIZE
    assert pagination.page_number == 2
    assert pagination.page_size == PAGE_SIZE
    assert pagination.total_available == WORKBOOKS
    items, pagination = server.datasources.get(TSC.RequestOptions(pagenumber=math.ceil(DATASOURCES / PAGE_SIZE), pagesize=PAGE_SIZE))
    assert len(items) == (DATASOURCES % PAGE_SIZE or PAGE_SIZE)
    assert pagination.page_number == math.ceil(DATASOURCES / PAGE_SIZE)
    assert pagination.total_available == DATASOURCES


def test_filter_by_name_with_request_options(server):
    options = TSC.RequestOptions()
    options.filter.add(TSC.Filter(TSC.RequestOptions.Field.Name, TSC.RequestOptions.Operator.Equals, "Quarterly Sales Summary"))
    items, pagination = server.workbooks.get(options)
    assert [w.name for w in items] == ["Quarterly Sales Summary"]
    assert pagination.total_available == 1
    assert items[0].project_name == "Finance"


def test_filter_by_name_with_query_set(server):
    found = list(server.workbooks.filter(name="Quarterly Sales Summary"))
    assert [w.name for w in found] == ["Quarterly Sales Summary"]
    found = list(server.datasources.filter(name="Orders Failing"))
    assert [d.name for d in found] == ["Orders Failing"]
    assert found[0].project_name == "Finance"
    assert list(server.workbooks.filter(name="No Such Workbook")) == []


def test_filter_name_with_a_plus_sign(server):
    # requests encodes spaces as '+' and '+' as '%2B'; the emulator must decode both.
    assert [w.name for w in server.workbooks.filter(name="Profit + Loss")] == ["Profit + Loss"]
    assert [w.name for w in server.workbooks.filter(name="Profit Loss")] == ["Profit Loss"]


def test_filter_project_name_and_in_operator(server):
    names = sorted(w.name for w in server.workbooks.filter(project_name="Finance"))
    assert names == ["Profit + Loss", "Profit Loss", "Quarterly Sales Summary"]
    names = sorted(d.name for d in server.datasources.filter(name__in=["Sales Daily", "Inventory Hang"]))
    assert names == ["Inventory Hang", "Sales Daily"]


def test_sort_by_name_descending(server):
    options = TSC.RequestOptions(pagesize=3)
    options.sort.add(TSC.Sort(TSC.RequestOptions.Field.Name, TSC.RequestOptions.Direction.Desc))
    items, _ = server.workbooks.get(options)
    assert [w.name for w in items] == ["Workbook Failing", "Workbook 00023", "Workbook 00022"]


def test_get_by_id(server):
    [listed] = server.workbooks.filter(name="Executive Dashboard")
    workbook = server.workbooks.get_by_id(listed.id)
    assert workbook.id == listed.id
    assert workbook.name == "Executive Dashboard"
    assert workbook.project_name == "Default"
    assert workbook.created_at is not None
    assert workbook.created_at <= datetime.now(timezone.utc)
    # Query Workbook carries the views (TSC keeps them without populate_views).
    assert sorted(v.name for v in workbook.views) == ["Overview", "Regions"]

    [listed] = server.datasources.filter(name="Sales Daily")
    datasource = server.datasources.get_by_id(listed.id)
    assert (datasource.id, datasource.name, datasource.has_extracts) == (listed.id, "Sales Daily", True)
    assert datasource.created_at is not None


def test_get_by_unknown_id_is_404(server):
    with pytest.raises(ServerResponseError) as failure:
        server.workbooks.get_by_id("00000000-0000-0000-0000-000000000000")
    assert failure.value.code == "404006"


def test_projects_list(server):
    projects = list(TSC.Pager(server.projects, TSC.RequestOptions(pagesize=2)))
    assert sorted(p.name for p in projects) == ["Default", "Finance", "Generated", "Marketing"]
    finance = next(p for p in projects if p.name == "Finance")
    assert finance.description == "Finance reporting"
    assert finance.content_permissions
    assert finance.owner_id


def test_extract_refresh_tasks_list_and_run(server):
    tasks, _ = server.tasks.get()
    assert len(tasks) == 2
    by_target = {(t.target.type, t.target.id): t for t in tasks}
    [sales] = server.datasources.filter(name="Sales Daily")
    [quarterly] = server.workbooks.filter(name="Quarterly Sales Summary")
    assert ("datasource", sales.id) in by_target
    assert ("workbook", quarterly.id) in by_target
    task = by_target[("datasource", sales.id)]
    assert task.task_type == "extractRefresh"
    assert task.schedule_item is not None and task.schedule_item.name == "Nightly"
    assert server.tasks.get_by_id(task.id).id == task.id
    # Run Now answers a job, which TSC returns as raw XML.
    content = server.tasks.run(task)
    job_id = TSC.JobItem.from_response(content, server.namespace)[0].id
    done = server.jobs.wait_for_job(job_id, timeout=30)
    assert done.datasource_id == sales.id


def test_sites(server):
    site = server.sites.get_by_id(server.site_id)
    assert (site.name, site.content_url) == ("Default", "")
    sites, _ = server.sites.get()
    assert sorted(s.content_url for s in sites) == ["", "analytics"]


def test_password_sign_in(emulator):
    server = emulator.client(use_server_version=True)
    server.auth.sign_in(TSC.TableauAuth("analyst@example.com", "fid-password", site_id=""))
    assert server.version == "3.24"
    me = server.users.get_by_id(server.user_id)
    assert me.name == "analyst@example.com"
    assert len(list(TSC.Pager(server.workbooks))) == WORKBOOKS
    server.auth.sign_out()


def test_populate_views_lists_a_workbooks_views(server):
    """TSC's populate_views calls GET workbooks/{id}/views."""
    workbooks, _ = server.workbooks.get()
    workbook = workbooks[0]
    server.workbooks.populate_views(workbook)
    assert len(workbook.views) >= 1
    assert all(view.id and view.name for view in workbook.views)
