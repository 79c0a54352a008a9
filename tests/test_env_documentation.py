"""Every environment variable the settings read is documented for operators."""

from __future__ import annotations

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
READ = re.compile(r"""env_(?:str|bool|int|float|list)\(\s*["']([A-Z0-9_]+)["']""")


def settings_variables() -> set[str]:
    names: set[str] = set()
    for module in (BASE_DIR / "config").glob("*.py"):
        names |= set(READ.findall(module.read_text()))
    return names


def test_settings_read_the_variables_this_test_knows_how_to_find() -> None:
    assert {"SECRET_KEY", "DATABASE_URL", "TELEPATI_ENV", "TASKS_BACKEND"} <= settings_variables()


def test_every_settings_variable_is_in_env_example() -> None:
    documented = set(
        re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M)
    )

    assert settings_variables() - documented == set()


def test_every_settings_variable_is_in_the_readme() -> None:
    documented = set(
        re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", (BASE_DIR / "README.md").read_text(), re.M)
    )

    assert settings_variables() - documented == set()
