"""Session timeouts: signed out after an idle hour, and eight hours after signing in."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from telepati.backoffice.tests.test_auth_support import HOME, LOGIN, sign_in

pytestmark = pytest.mark.django_db

START = "2026-03-02 08:00:00+07:00"
IDLE = "Sesi Anda berakhir karena tidak ada aktivitas selama 60 menit. Silakan masuk lagi."


def test_an_idle_hour_signs_the_officer_out(client, desk_operator):
    with freeze_time(START) as frozen:
        sign_in(client, desk_operator)
        frozen.tick(60 * 60 + 1)

        response = client.get(HOME, follow=True)
        signed_in = "_auth_user_id" in client.session

    assert response.redirect_chain == [(f"{LOGIN}?next={HOME}", 302)]
    assert IDLE in response.content.decode()
    assert not signed_in


def test_activity_keeps_the_session_alive(client, desk_operator):
    with freeze_time(START) as frozen:
        sign_in(client, desk_operator)
        for _ in range(4):
            frozen.tick(50 * 60)
            assert client.get(HOME).status_code == 200


def test_eight_hours_after_sign_in_the_session_ends_even_when_active(client, desk_operator):
    with freeze_time(START) as frozen:
        sign_in(client, desk_operator)
        for _ in range(9):
            frozen.tick(50 * 60)
            assert client.get(HOME).status_code == 200  # 7 h 30 min
        frozen.tick(31 * 60)

        response = client.get(HOME, follow=True)

    assert response.redirect_chain == [(f"{LOGIN}?next={HOME}", 302)]
    assert "Sesi Anda sudah berlangsung 8 jam. Silakan masuk lagi." in response.content.decode()


def test_idle_limit_follows_the_setting(client, desk_operator, settings):
    settings.TELEPATI_SESSION_IDLE_SECONDS = 15 * 60
    with freeze_time(START) as frozen:
        sign_in(client, desk_operator)
        frozen.tick(14 * 60)
        assert client.get(HOME).status_code == 200
        frozen.tick(15 * 60 + 1)

        assert client.get(HOME).status_code == 302


def test_any_sign_in_starts_the_clocks(client, desk_operator):
    with freeze_time(START) as frozen:
        client.force_login(desk_operator)
        frozen.tick(61 * 60)

        assert client.get(HOME).status_code == 302


def test_the_first_request_after_sign_in_does_not_write_the_session(client, desk_operator):
    client.force_login(desk_operator)

    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME).status_code == 200

    assert not [q for q in captured.captured_queries if "django_session" in q["sql"]][1:]


def test_the_last_seen_mark_is_written_at_most_once_a_minute(client, desk_operator):
    with freeze_time(START) as frozen:
        sign_in(client, desk_operator)
        frozen.tick(59)
        with CaptureQueriesContext(connection) as quiet:
            client.get(HOME)
        frozen.tick(1)
        with CaptureQueriesContext(connection) as marked:
            client.get(HOME)

    def writes(captured):
        return [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]

    assert writes(quiet) == []
    assert len(writes(marked)) == 1
