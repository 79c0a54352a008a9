"""System checks of the WHATSAPP_* settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import Error, Warning, run_checks
from django.core.checks.registry import registry

from telepati.whatsapp.checks import check_whatsapp_settings

LIVE = {
    "WHATSAPP_GRAPH_URL": "https://graph.facebook.com",
    "WHATSAPP_API_VERSION": "v25.0",
    "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
    "WHATSAPP_ACCESS_TOKEN": "EAAG-system-user-token",
    "WHATSAPP_APP_SECRET": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
    "WHATSAPP_VERIFY_TOKEN": "k3Jx9-verify-token-of-the-wa-center",
    "WHATSAPP_RATE_PER_SECOND": 80,
    "WHATSAPP_TIMEOUT_SECONDS": 15.0,
}


@pytest.fixture
def live(settings):
    for name, value in LIVE.items():
        setattr(settings, name, value)
    settings.PRODUCTION = True
    return settings


def ids():
    return [message.id for message in check_whatsapp_settings()]


def test_the_checks_run_with_manage_py_check():
    assert check_whatsapp_settings in registry.get_checks()
    assert [m for m in run_checks() if (m.id or "").startswith("whatsapp.")] == []


def test_a_complete_live_setup_passes(live):
    assert check_whatsapp_settings() == []


def test_the_test_settings_pass_on_the_simulator():
    assert check_whatsapp_settings() == []


@pytest.mark.parametrize(
    ("name", "check_id"),
    [
        ("WHATSAPP_PHONE_NUMBER_ID", "whatsapp.E001"),
        ("WHATSAPP_APP_SECRET", "whatsapp.E002"),
        ("WHATSAPP_VERIFY_TOKEN", "whatsapp.E003"),
    ],
)
def test_a_token_requires_the_rest_of_the_setup(live, name, check_id):
    setattr(live, name, "")

    [message] = check_whatsapp_settings()

    assert isinstance(message, Error)
    assert message.id == check_id
    assert message.msg == f"{name} is required when WHATSAPP_ACCESS_TOKEN is set."


def test_a_token_without_anything_else_reports_all_three(settings):
    settings.WHATSAPP_ACCESS_TOKEN = "EAAG-token"
    settings.WHATSAPP_PHONE_NUMBER_ID = ""
    settings.WHATSAPP_APP_SECRET = "  "
    settings.WHATSAPP_VERIFY_TOKEN = ""

    assert ids() == ["whatsapp.E001", "whatsapp.E002", "whatsapp.E003"]


def test_production_without_a_token_warns_that_whatsapp_runs_on_the_simulator(live):
    live.WHATSAPP_ACCESS_TOKEN = ""

    [message] = check_whatsapp_settings()

    assert isinstance(message, Warning)
    assert message.id == "whatsapp.W001"
    assert message.msg.startswith("WhatsApp runs on the simulator")


def test_development_without_a_token_does_not_warn(settings):
    settings.PRODUCTION = False
    settings.WHATSAPP_ACCESS_TOKEN = ""

    assert check_whatsapp_settings() == []


def test_production_needs_https_for_the_graph_api(live):
    live.WHATSAPP_GRAPH_URL = "http://graph.facebook.com"

    assert ids() == ["whatsapp.E005"]


def test_development_may_use_a_loopback_graph_api(settings):
    settings.PRODUCTION = False
    settings.WHATSAPP_GRAPH_URL = "http://127.0.0.1:8765"

    assert check_whatsapp_settings() == []


@pytest.mark.parametrize("url", ["", "graph.facebook.com", "ftp://graph.facebook.com", "https://"])
def test_the_graph_url_must_be_an_http_url(settings, url):
    settings.WHATSAPP_GRAPH_URL = url

    assert ids() == ["whatsapp.E004"]


@pytest.mark.parametrize("version", ["", "25.0", "v25", "latest", "v25.0/"])
def test_the_api_version_must_be_pinned_like_v25_0(settings, version):
    settings.WHATSAPP_API_VERSION = version

    assert ids() == ["whatsapp.E006"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WHATSAPP_APP_SECRET", "telepati-dev-app-secret"),
        ("WHATSAPP_VERIFY_TOKEN", "telepati-dev-verify-token"),
    ],
)
def test_production_refuses_the_development_secrets(live, name, value):
    setattr(live, name, value)

    assert ids() == ["whatsapp.E007"]


@pytest.mark.parametrize("rate", [0, -1, "80", None])
def test_the_rate_must_be_positive(settings, rate):
    settings.WHATSAPP_RATE_PER_SECOND = rate

    assert ids() == ["whatsapp.E008"]


@pytest.mark.parametrize("timeout", [0, -5.0, "15", None])
def test_the_timeout_must_be_positive(settings, timeout):
    settings.WHATSAPP_TIMEOUT_SECONDS = timeout

    assert ids() == ["whatsapp.E009"]


def settings_read(expression: str, env: dict[str, str]) -> str:
    """Evaluate `expression` on config.settings imported in a fresh interpreter."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "TELEPATI_"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import config.settings as s; print({expression})"],
        env={**base, **env},
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


SECRETS = "(s.WHATSAPP_APP_SECRET, s.WHATSAPP_VERIFY_TOKEN)"
PRODUCTION_ENV = {
    "TELEPATI_ENV": "production",
    "SECRET_KEY": "p9F-" + "x7Kq2mZ" * 9,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "telepati.example.org",
}


def test_production_has_no_default_webhook_secrets():
    assert settings_read(SECRETS, PRODUCTION_ENV) == "('', '')"


def test_development_with_a_token_has_no_default_webhook_secrets():
    env = {"TELEPATI_ENV": "development", "WHATSAPP_ACCESS_TOKEN": "t"}

    assert settings_read(SECRETS, env) == "('', '')"


def test_development_without_a_token_signs_with_fixed_values():
    assert settings_read(SECRETS, {"TELEPATI_ENV": "development"}) == (
        "('telepati-dev-app-secret', 'telepati-dev-verify-token')"
    )


def test_the_defaults_point_at_meta_s_graph_api():
    expression = (
        "s.WHATSAPP_GRAPH_URL, s.WHATSAPP_API_VERSION, s.WHATSAPP_PHONE_NUMBER_ID, "
        "s.WHATSAPP_ACCESS_TOKEN, s.WHATSAPP_RATE_PER_SECOND, s.WHATSAPP_TIMEOUT_SECONDS"
    )

    development = {"TELEPATI_ENV": "development", "TELEPATI_SIMULATOR_ENABLED": "false"}
    assert settings_read(expression, development) == ("https://graph.facebook.com v25.0   80 15.0")
