"""Issue #21 items 6-7 through tableauserverclient: the Metadata API's sheets, dashboards, uri,
downstreamSheets and extractLastUpdateTime; extract-refresh task schedules (nextRunAt by
frequency, createdAt/updatedAt), Query Schedules and a schedule's extract tasks."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import tableauserverclient as TSC

from conftest import SEED

WAIT = 30


def schedule_seed(tmp_dir, mode="server"):
    seed = json.loads(SEED.read_text())
    seed["server"]["mode"] = mode
    default = seed["sites"][0]
    board = next(w for w in default["workbooks"] if w["name"] == "Executive Dashboard")
    board["dashboards"] = ["Board Room"]
    default["extractRefreshTasks"] = [
        {"datasource": "Sales Daily", "schedule": "Nightly", "frequency": "Daily", "at": "02:30"},
        {"workbook": "Quarterly Sales Summary", "schedule": "Every hour", "frequency": "Hourly", "at": "00:20"},
        {"datasource": "Orders Failing", "schedule": "Fridays", "frequency": "Weekly", "weekDay": "Friday"},
        {"datasource": "Tabcmd Success", "schedule": "Nightly", "frequency": "Daily"},
    ]
    path = tmp_dir / f"seed-{mode}.json"
    path.write_text(json.dumps(seed))
    return path


@pytest.fixture(scope="module")
def emulator(start_emulator, tmp_path_factory):
    return start_emulator(seed=schedule_seed(tmp_path_factory.mktemp("schedules")))


# 6. Metadata API ---------------------------------------------------------------------------------

WORKBOOK_QUERY = """
query board($name: String) {
  workbooks(filter: {name: $name}) {
    luid uri
    sheets { luid name path workbook { name } containedInDashboards { name } }
    dashboards { name sheets { name } }
  }
}"""


def test_workbook_uri_sheets_and_dashboards(server):
    result = server.metadata.query(WORKBOOK_QUERY, {"name": "Executive Dashboard"}, abort_on_error=True)
    [workbook] = result["data"]["workbooks"]
    assert workbook["uri"].startswith("sites/1/workbooks/")
    assert [s["name"] for s in workbook["sheets"]] == ["Overview", "Regions"]
    assert all(s["workbook"]["name"] == "Executive Dashboard" for s in workbook["sheets"])
    assert [d["name"] for d in workbook["sheets"][0]["containedInDashboards"]] == ["Board Room"]
    assert [d["name"] for d in workbook["dashboards"]] == ["Board Room"]
    # A sheet's luid is the REST id of its view.
    [book] = server.workbooks.filter(name="Executive Dashboard")
    server.workbooks.populate_views(book)
    assert {v.id for v in book.views} >= {s["luid"] for s in workbook["sheets"]}


def test_top_level_sheets_with_paging(server):
    query = """
    query sheets($first: Int, $afterToken: String) {
      sheetsConnection(first: $first, after: $afterToken) {
        nodes { name workbook { name } }
        pageInfo { hasNextPage endCursor }
        totalCount
      }
    }"""
    pages = server.metadata.paginated_query(query, {"first": 10}, abort_on_error=True)["pages"]
    nodes = [n for page in pages for n in page["data"]["sheetsConnection"]["nodes"]]
    assert len(nodes) == pages[0]["data"]["sheetsConnection"]["totalCount"]
    assert len(pages) >= 2


def test_downstream_sheets_and_extract_last_update_time(server):
    query = """{ publishedDatasources(filter: {name: "Sales Daily"}) {
        downstreamSheets { name } extractLastRefreshTime extractLastUpdateTime } }"""
    [before] = server.metadata.query(query, abort_on_error=True)["data"]["publishedDatasources"]
    assert sorted(s["name"] for s in before["downstreamSheets"]) == ["Overview", "Regions"]
    [item] = server.datasources.filter(name="Sales Daily")
    job = server.datasources.refresh(item)
    server.jobs.wait_for_job(job.id, timeout=WAIT)
    [after] = server.metadata.query(query, abort_on_error=True)["data"]["publishedDatasources"]
    assert after["extractLastUpdateTime"] is not None
    assert after["extractLastUpdateTime"] == after["extractLastRefreshTime"]


# 7. Schedules -----------------------------------------------------------------------------------


def test_task_schedules_follow_their_frequency(server):
    tasks = list(TSC.Pager(server.tasks))
    now = datetime.now(timezone.utc)
    by_name = {t.schedule_item.name: t.schedule_item for t in tasks}
    assert set(by_name) == {"Nightly", "Every hour", "Fridays"}
    hourly, daily, weekly = by_name["Every hour"], by_name["Nightly"], by_name["Fridays"]
    assert now < hourly.next_run_at <= now + timedelta(hours=1) and hourly.next_run_at.minute == 20
    assert now < daily.next_run_at <= now + timedelta(days=1) and (daily.next_run_at.hour, daily.next_run_at.minute) == (2, 30)
    assert weekly.next_run_at.weekday() == 4 and weekly.next_run_at <= now + timedelta(days=7)
    for schedule in by_name.values():
        assert schedule.created_at is not None and schedule.updated_at is not None


def test_query_schedules_and_their_extracts(server):
    schedules = list(TSC.Pager(server.schedules))
    assert sorted(s.name for s in schedules) == ["Every hour", "Fridays", "Nightly"]
    [nightly] = [s for s in schedules if s.name == "Nightly"]
    assert nightly.schedule_type == "Extract" and nightly.state == "Active"
    assert nightly.next_run_at is not None and nightly.created_at is not None
    extracts, pagination = server.schedules.get_extract_refresh_tasks(nightly.id)
    assert pagination.total_available == 2 and all(e.datasource_id for e in extracts)
    assert server.schedules.get_by_id(nightly.id).name == "Nightly"


def test_cloud_tasks_carry_frequency_details(start_emulator, tmp_path_factory):
    cloud = start_emulator(seed=schedule_seed(tmp_path_factory.mktemp("cloud"), mode="cloud"))
    server = cloud.sign_in("fid-admin")
    tasks = list(TSC.Pager(server.tasks))
    intervals = {type(t.schedule_item.interval_item).__name__ for t in tasks}
    assert intervals == {"DailyInterval", "HourlyInterval", "WeeklyInterval"}
    weekly = next(t.schedule_item for t in tasks if isinstance(t.schedule_item.interval_item, TSC.WeeklyInterval))
    assert weekly.name is None and weekly.next_run_at is not None and weekly.next_run_at.weekday() == 4
    assert weekly.interval_item.interval == ("Friday",)
