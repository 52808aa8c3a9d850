"""Sign-in, server info, version negotiation, sign-out and the one-session-per-PAT rule."""

from __future__ import annotations

import pytest
import tableauserverclient as TSC
from tableauserverclient.server.endpoint.exceptions import FailedSignInError
from tableauserverclient.server.exceptions import EndpointUnavailableError

from conftest import derived_seed, pat_secret


def test_pat_sign_in_returns_token_site_and_user(emulator):
    server = emulator.client()
    server.auth.sign_in(TSC.PersonalAccessTokenAuth("fid-version", pat_secret("fid-version"), site_id=""))
    assert server.is_signed_in()
    assert server.auth_token and server.site_id and server.user_id
    me = server.users.get_by_id(server.user_id)
    assert me.name == "admin@example.com"
    assert me.site_role == "SiteAdministratorCreator"
    server.auth.sign_out()


def test_wrong_pat_secret_is_a_failed_sign_in(emulator):
    server = emulator.client()
    with pytest.raises(FailedSignInError) as failure:
        server.auth.sign_in(TSC.PersonalAccessTokenAuth("fid-version", "not-the-secret", site_id=""))
    assert failure.value.code == "401001"
    assert not server.is_signed_in()


def test_sign_in_to_a_named_site(emulator):
    server = emulator.sign_in("fid-version", site="analytics")
    names = [ds.name for ds in TSC.Pager(server.datasources)]
    assert names == ["Events"]
    server.auth.sign_out()


def test_server_info_without_sign_in(emulator):
    server = emulator.client()
    assert server.version == "2.4"
    info = server.server_info.get()
    assert info is not None
    assert info.rest_api_version == "3.24"
    assert info.product_version and info.product_version[0].isdigit()
    assert info.build_number


def test_sign_in_negotiates_the_server_version(emulator):
    server = emulator.client(use_server_version=True)
    assert server.version == "2.4"
    emulator.clear_request_log()
    server.auth.sign_in(TSC.PersonalAccessTokenAuth("fid-version", pat_secret("fid-version"), site_id=""))
    assert server.version == "3.24"
    log = [(r["method"], r["path"].lower()) for r in emulator.request_log()]
    # TSC signs in at its default 2.4, then asks serverInfo which version to use.
    assert log[0] == ("POST", "/api/2.4/auth/signin")
    assert ("GET", "/api/2.4/serverinfo") in log
    # Later calls use the negotiated version.
    emulator.clear_request_log()
    list(TSC.Pager(server.projects))
    assert all(r["path"].startswith("/api/3.24/") for r in emulator.request_log())
    server.auth.sign_out()


def test_without_use_server_version_the_client_stays_at_2_4(emulator):
    server = emulator.client(use_server_version=False)
    server.auth.sign_in(TSC.PersonalAccessTokenAuth("fid-version", pat_secret("fid-version"), site_id=""))
    assert server.version == "2.4"
    server.use_server_version()
    assert server.version == "3.24"
    server.auth.sign_out()


@pytest.mark.parametrize("how", ["flag", "seed"])
def test_lower_max_api_version_is_negotiated_down(start_emulator, tmp_path, how):
    if how == "flag":
        lower, older = start_emulator(args=["--max-api-version", "3.19"]), "3.19"
    else:
        lower, older = start_emulator(seed=derived_seed(tmp_path, maxApiVersion="3.21")), "3.21"
    server = lower.sign_in("fid-version")
    assert server.version == older
    assert server.server_info.get().rest_api_version == older
    assert len(list(TSC.Pager(server.workbooks))) > 0
    # One step above the maximum is unknown to this server.
    above = f"3.{int(older.split('.')[1]) + 1}"
    response = lower.raw("GET", f"/{above}/serverinfo")
    assert response.status_code == 404
    server.auth.sign_out()


def test_version_above_the_maximum_is_404001_endpoint_unavailable(emulator):
    server = emulator.client()
    server.version = "3.25"
    with pytest.raises(EndpointUnavailableError):
        server.server_info.get()
    response = emulator.raw("GET", "/3.25/serverInfo")
    assert response.status_code == 404
    assert 'code="404001"' in response.text
    assert "Version '3.25' is not a valid version of the API." in response.text
    # The highest served version still works.
    server.version = "3.24"
    assert server.server_info.get().rest_api_version == "3.24"


def test_sign_out_invalidates_the_token(emulator):
    server = emulator.sign_in("fid-signout")
    token, site_id, user_id = server.auth_token, server.site_id, server.user_id
    assert emulator.raw("GET", f"/3.24/sites/{site_id}/projects", token=token).status_code == 200
    server.auth.sign_out()
    assert not server.is_signed_in()
    # The old token, re-used with plain HTTP …
    response = emulator.raw("GET", f"/3.24/sites/{site_id}/projects", token=token)
    assert response.status_code == 401
    assert 'code="401002"' in response.text
    # … and through TSC, which raises FailedSignInError for any 401.
    server._set_auth(site_id, user_id, token)
    with pytest.raises(FailedSignInError) as failure:
        server.projects.get()
    assert failure.value.code == "401002"


def test_one_live_session_per_pat(emulator):
    first = emulator.sign_in("fid-takeover")
    assert len(list(TSC.Pager(first.projects))) == 4
    second = emulator.sign_in("fid-takeover")
    assert second.auth_token != first.auth_token
    # The new session works; the earlier one was ended by the second sign-in.
    assert len(list(TSC.Pager(second.projects))) == 4
    with pytest.raises(FailedSignInError) as failure:
        first.projects.get()
    assert failure.value.code == "401002"
    response = emulator.raw("GET", f"/3.24/sites/{first.site_id}/projects", token=first.auth_token)
    assert response.status_code == 401
    # Another PAT of the same user is a separate session and is not affected.
    other = emulator.sign_in("fid-admin")
    assert len(list(TSC.Pager(second.projects))) == 4
    other.auth.sign_out()
    second.auth.sign_out()
