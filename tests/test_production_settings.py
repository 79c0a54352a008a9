"""TELEPATI_ENV=production refuses unsafe configuration and passes Django's deploy checks."""

from __future__ import annotations

import pytest

from config.settings import DEV_SECRET_KEY
from tests.support import RunDjango

STRONG_SECRET_KEY = "p7Hq2vZ9rXk4Lm8Nw3Tj6Yb1Cd5Fg0Sa-Ue7Io2Pz9Qx4Rv8Wn3Mk6Jh1Gt5Bs0Dy"
SETUP = "import django; django.setup()"
REFUSAL = "django.core.exceptions.ImproperlyConfigured: TELEPATI_ENV=production refuses to start: "


@pytest.fixture
def production_env(base_env: dict[str, str]) -> dict[str, str]:
    return base_env | {
        "TELEPATI_ENV": "production",
        "SECRET_KEY": STRONG_SECRET_KEY,
        "ALLOWED_HOSTS": "telepati.example.org",
        # A live WhatsApp Cloud API setup (without it the WA Center warns it is simulated).
        "WHATSAPP_ACCESS_TOKEN": "EAAG-system-user-token",
        "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "WHATSAPP_APP_SECRET": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
        "WHATSAPP_VERIFY_TOKEN": "k3Jx9-verify-token-of-the-wa-center",
    }


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_production_starts_with_a_strong_key_debug_off_and_hosts_set(
    run_django: RunDjango, production_env: dict[str, str]
) -> None:
    result = run_django(env=production_env, code=SETUP + "; print('started')")

    assert (result.returncode, result.stdout, result.stderr) == (0, "started\n", "")


def test_production_refuses_to_start_without_secret_key(
    run_django: RunDjango, production_env: dict[str, str]
) -> None:
    del production_env["SECRET_KEY"]

    result = run_django(env=production_env, code=SETUP)

    assert result.returncode == 1
    assert last_line(result.stderr) == REFUSAL + "SECRET_KEY must be set to a long random value."


def test_production_refuses_the_development_secret_key(
    run_django: RunDjango, production_env: dict[str, str]
) -> None:
    production_env["SECRET_KEY"] = DEV_SECRET_KEY

    result = run_django(env=production_env, code=SETUP)

    assert result.returncode == 1
    assert last_line(result.stderr) == REFUSAL + "SECRET_KEY must be set to a long random value."


def test_production_refuses_a_short_secret_key(
    run_django: RunDjango, production_env: dict[str, str]
) -> None:
    production_env["SECRET_KEY"] = "too-short-but-not-insecure"

    result = run_django(env=production_env, code=SETUP)

    assert result.returncode == 1
    assert last_line(result.stderr) == (
        REFUSAL + "SECRET_KEY must be at least 50 characters with 5 distinct ones."
    )


def test_production_refuses_debug_on(run_django: RunDjango, production_env: dict[str, str]) -> None:
    production_env["DEBUG"] = "true"

    result = run_django(env=production_env, code=SETUP)

    assert result.returncode == 1
    assert last_line(result.stderr) == REFUSAL + "DEBUG must be off."


def test_production_refuses_empty_allowed_hosts(
    run_django: RunDjango, production_env: dict[str, str]
) -> None:
    production_env["ALLOWED_HOSTS"] = ""

    result = run_django(env=production_env, code=SETUP)

    assert result.returncode == 1
    assert last_line(result.stderr) == REFUSAL + "ALLOWED_HOSTS must list the public host names."


def test_production_lists_every_problem_at_once(
    run_django: RunDjango, production_env: dict[str, str]
) -> None:
    del production_env["SECRET_KEY"]
    del production_env["ALLOWED_HOSTS"]
    production_env["DEBUG"] = "1"

    result = run_django("manage.py", "check", env=production_env)

    assert result.returncode == 1
    assert last_line(result.stderr) == REFUSAL + (
        "SECRET_KEY must be set to a long random value; DEBUG must be off; "
        "ALLOWED_HOSTS must list the public host names."
    )


def test_unknown_telepati_env_is_refused(run_django: RunDjango, base_env: dict[str, str]) -> None:
    result = run_django(env=base_env | {"TELEPATI_ENV": "staging"}, code=SETUP)

    assert result.returncode == 1
    assert last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "TELEPATI_ENV must be development, production or test, got 'staging'"
    )


def test_production_passes_deploy_checks_without_warnings(
    run_django: RunDjango, production_env: dict[str, str]
) -> None:
    result = run_django(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production_env
    )

    assert result.stderr == ""
    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert result.returncode == 0


def test_production_behind_proxy_trusts_forwarded_proto_and_host(
    run_django: RunDjango, production_env: dict[str, str]
) -> None:
    production_env["TELEPATI_BEHIND_PROXY"] = "true"
    code = (
        SETUP + "; from django.conf import settings; "
        "print(settings.SECURE_PROXY_SSL_HEADER, settings.USE_X_FORWARDED_HOST, "
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_REDIRECT_EXEMPT)"
    )

    result = run_django(env=production_env, code=code)

    assert result.stderr == ""
    assert result.stdout == "('HTTP_X_FORWARDED_PROTO', 'https') True True ['^healthz$']\n"
