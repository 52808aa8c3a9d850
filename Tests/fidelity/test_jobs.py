"""Refresh now and TSC's wait_for_job: success, failure, cancellation, duplicate refresh."""

from __future__ import annotations

import logging
import threading

import pytest
import tableauserverclient as TSC
from tableauserverclient.server.endpoint.exceptions import (
    JobCancelledException,
    JobFailedException,
    ServerResponseError,
)
from tableauserverclient.server.request_factory import RequestFactory

WAIT = 30  # seconds; refreshes in seed.json take about 1 s


@pytest.fixture
def server(emulator):
    server = emulator.sign_in("fid-jobs")
    yield server
    server.auth.sign_out()


def datasource(server, name):
    [item] = server.datasources.filter(name=name)
    return item


def workbook(server, name):
    [item] = server.workbooks.filter(name=name)
    return item


def test_datasource_refresh_succeeds(server):
    item = datasource(server, "Sales Daily")
    job = server.datasources.refresh(item)
    assert job is not None and job.id
    assert job.type == "RefreshExtract"
    assert job.mode == "Asynchronous"
    assert job.created_at is not None
    done = server.jobs.wait_for_job(job, timeout=WAIT)
    assert done.id == job.id
    assert done.finish_code == TSC.JobItem.FinishCode.Success
    assert done.completed_at is not None and done.started_at is not None
    assert done.started_at <= done.completed_at
    assert str(done.progress) == "100"
    assert done.datasource_id == item.id
    assert done.datasource_name == "Sales Daily"


def test_workbook_refresh_succeeds(server):
    item = workbook(server, "Executive Dashboard")
    job = server.workbooks.refresh(item)
    done = server.jobs.wait_for_job(job.id, timeout=WAIT)
    assert done.finish_code == TSC.JobItem.FinishCode.Success
    assert done.workbook_id == item.id


def test_failed_refresh_raises_with_the_seed_notes(server):
    item = datasource(server, "Orders Failing")
    job = server.datasources.refresh(item)
    with pytest.raises(JobFailedException) as failure:
        server.jobs.wait_for_job(job, timeout=WAIT)
    assert not isinstance(failure.value, JobCancelledException)
    assert failure.value.job.finish_code == TSC.JobItem.FinishCode.Failed
    assert "FIDELITY-NOTES: warehouse.public.orders is locked" in str(failure.value.notes)
    assert "FIDELITY-NOTES" in str(failure.value)


def test_failed_workbook_refresh_carries_default_notes(server):
    job = server.workbooks.refresh(workbook(server, "Workbook Failing"))
    with pytest.raises(JobFailedException) as failure:
        server.jobs.wait_for_job(job, timeout=WAIT)
    assert failure.value.notes


def test_cancel_before_waiting(server):
    item = datasource(server, "Inventory Hang")
    job = server.datasources.refresh(item)
    running = server.jobs.get_by_id(job.id)
    assert running.completed_at is None
    assert running.finish_code == -1  # TSC's value when finishCode is absent (job not finished)
    server.jobs.cancel(job.id)
    with pytest.raises(JobCancelledException) as cancelled:
        server.jobs.wait_for_job(job, timeout=WAIT)
    assert cancelled.value.job.finish_code == TSC.JobItem.FinishCode.Cancelled
    assert cancelled.value.job.completed_at is not None


def test_cancel_from_another_thread_while_waiting(server):
    item = datasource(server, "Inventory Hang")
    job = server.datasources.refresh(item)
    outcome: dict = {}

    def wait() -> None:
        try:
            outcome["job"] = server.jobs.wait_for_job(job, timeout=WAIT)
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            outcome["error"] = error

    waiter = threading.Thread(target=wait, name="wait_for_job")
    waiter.start()
    server.jobs.cancel(job)
    waiter.join(timeout=WAIT + 10)
    assert not waiter.is_alive(), "wait_for_job did not return"
    assert isinstance(outcome.get("error"), JobCancelledException), outcome


def test_hanging_job_times_out_without_cancel(server):
    job = server.datasources.refresh(datasource(server, "Conflict Hang"))
    try:
        with pytest.raises(TimeoutError):
            server.jobs.wait_for_job(job, timeout=1)
    finally:
        server.jobs.cancel(job.id)


def test_second_refresh_while_queued_is_409093(server, caplog):
    item = datasource(server, "Conflict Hang")
    first = server.datasources.refresh(item)
    try:
        # The REST call itself answers 409 / 409093 …
        url = f"{server.datasources.baseurl}/{item.id}/refresh"
        with pytest.raises(ServerResponseError) as conflict:
            server.datasources.post_request(url, RequestFactory.Task.refresh_req(False, server))
        assert conflict.value.code == "409093"
        assert conflict.value.summary == "Resource Conflict"
        assert "is already queued. Not queuing a duplicate." in conflict.value.detail
        # … which TSC 0.42's refresh() turns into a logged warning and None.
        with caplog.at_level(logging.WARNING):
            assert server.datasources.refresh(item) is None
        assert "Not queuing a duplicate" in caplog.text
        # Workbooks behave the same.
        wb = workbook(server, "Profit Loss")
        wb_job = server.workbooks.refresh(wb)
        with pytest.raises(ServerResponseError) as conflict:
            server.workbooks.post_request(f"{server.workbooks.baseurl}/{wb.id}/refresh", RequestFactory.Task.refresh_req(False, server))
        assert conflict.value.code == "409093"
        server.jobs.wait_for_job(wb_job, timeout=WAIT)
    finally:
        server.jobs.cancel(first.id)
    with pytest.raises(JobCancelledException):
        server.jobs.wait_for_job(first, timeout=WAIT)
    # Once the first job has ended, a new refresh is accepted.
    again = server.datasources.refresh(item)
    assert again is not None and again.id != first.id
    server.jobs.cancel(again.id)


def test_live_datasource_cannot_be_refreshed(server):
    item = datasource(server, "Customers Live")
    with pytest.raises(ServerResponseError) as refused:
        server.datasources.refresh(item)
    assert refused.value.code in ("409090", "403180")


def test_query_jobs_lists_background_jobs(server):
    job = server.datasources.refresh(datasource(server, "Sales Daily"))
    server.jobs.wait_for_job(job, timeout=WAIT)
    jobs = list(TSC.Pager(server.jobs, TSC.RequestOptions(pagesize=2)))
    assert job.id in {j.id for j in jobs}
    mine = next(j for j in jobs if j.id == job.id)
    assert mine.status == "Success"
    assert mine.type == "refresh_extracts"
    assert mine.created_at is not None and mine.ended_at is not None
