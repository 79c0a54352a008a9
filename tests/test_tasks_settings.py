"""TASKS_BACKEND selects the task backend by settings alone."""

from __future__ import annotations

import json

from tests.support import RunDjango

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django_tasks import task_backends
backend = task_backends["default"]
print(json.dumps({
    "backend": f"{type(backend).__module__}.{type(backend).__name__}",
    "django_rq_installed": "django_rq" in settings.INSTALLED_APPS,
    "queues": {name: queue["URL"] for name, queue in getattr(settings, "RQ_QUEUES", {}).items()},
}))
"""
# Nothing listens on the discard port: any attempt to reach Redis would fail the test.
UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"


def test_rq_backend_configures_django_rq_without_contacting_redis(
    run_django: RunDjango, base_env: dict[str, str]
) -> None:
    env = base_env | {"TASKS_BACKEND": "rq", "REDIS_URL": UNREACHABLE_REDIS}

    result = run_django(env=env, code=PROBE)

    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "backend": "django_tasks_rq.backend.RQBackend",
        "django_rq_installed": True,
        "queues": {"default": UNREACHABLE_REDIS},
    }


def test_rq_backend_passes_system_checks_without_a_redis_server(
    run_django: RunDjango, base_env: dict[str, str]
) -> None:
    env = base_env | {"TASKS_BACKEND": "rq", "REDIS_URL": UNREACHABLE_REDIS}

    result = run_django("manage.py", "check", env=env)

    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )


def test_database_backend_is_the_default(run_django: RunDjango, base_env: dict[str, str]) -> None:
    result = run_django(env=base_env, code=PROBE)

    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "backend": "django_tasks_db.backend.DatabaseBackend",
        "django_rq_installed": False,
        "queues": {},
    }


def test_unknown_tasks_backend_is_refused(run_django: RunDjango, base_env: dict[str, str]) -> None:
    result = run_django(env=base_env | {"TASKS_BACKEND": "celery"}, code=PROBE)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: "
        "TASKS_BACKEND must be database, rq or immediate, got 'celery'"
    )
