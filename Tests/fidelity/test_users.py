"""Users on a site: paged listing, get by id, site-role updates."""

from __future__ import annotations

import math

import pytest
import tableauserverclient as TSC
from tableauserverclient.server.endpoint.exceptions import ServerResponseError

USERS = 12  # seed.json, Default site


def test_users_paged(emulator, server):
    emulator.clear_request_log()
    users = list(TSC.Pager(server.users, TSC.RequestOptions(pagesize=5)))
    assert len(users) == USERS
    assert len({u.id for u in users}) == USERS
    requests_made = [r for r in emulator.request_log() if r["method"] == "GET" and r["path"].endswith("/users")]
    assert len(requests_made) == math.ceil(USERS / 5)
    by_name = {u.name: u for u in users}
    assert by_name["admin@example.com"].site_role == "SiteAdministratorCreator"
    assert by_name["viewer@example.com"].site_role == "Viewer"
    assert by_name["viewer@example.com"].fullname == "Vic Viewer"
    # lastLogin in Tableau's date format parses; users who never signed in have none.
    assert by_name["viewer@example.com"].last_login is not None
    assert by_name["user01@example.com"].last_login is None


def test_users_filter_by_site_role(server):
    viewers = sorted(u.name for u in server.users.filter(site_role="Viewer"))
    assert viewers == [
        "promote.me@example.com",
        "user03@example.com",
        "user04@example.com",
        "user06@example.com",
        "user08@example.com",
        "viewer@example.com",
    ]


def test_get_user_by_id(server):
    [listed] = server.users.filter(name="analyst@example.com")
    user = server.users.get_by_id(listed.id)
    assert (user.id, user.name, user.site_role, user.fullname) == (listed.id, "analyst@example.com", "Creator", "Ana Analyst")
    assert user.last_login is not None


def test_get_unknown_user_is_404002(server):
    with pytest.raises(ServerResponseError) as failure:
        server.users.get_by_id("00000000-0000-0000-0000-000000000000")
    assert failure.value.code == "404002"


def test_update_site_role(server):
    [user] = server.users.filter(name="promote.me@example.com")
    assert user.site_role == "Viewer"
    user.site_role = TSC.UserItem.Roles.Explorer
    updated = server.users.update(user)
    assert updated.site_role == "Explorer"
    assert server.users.get_by_id(user.id).site_role == "Explorer"


def test_invalid_site_role_is_400013(emulator, server):
    [user] = server.users.filter(name="user02@example.com")
    # A pre-3.0 role TSC still knows: the client sends it, the server refuses it.
    user.site_role = TSC.UserItem.Roles.Interactor
    with pytest.raises(ServerResponseError) as failure:
        server.users.update(user)
    assert failure.value.code == "400013"
    assert failure.value.summary == "Invalid site role"
    # A role no client knows, sent as raw XML.
    response = emulator.raw(
        "PUT",
        f"/3.24/sites/{server.site_id}/users/{user.id}",
        token=server.auth_token,
        data='<tsRequest><user siteRole="Wizard"/></tsRequest>',
        headers={"Content-Type": "text/xml"},
    )
    assert response.status_code == 400
    assert 'code="400013"' in response.text
    assert server.users.get_by_id(user.id).site_role == "Explorer"
