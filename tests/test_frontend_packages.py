"""Front-end packages are pinned exactly and the lock records no download addresses."""

from __future__ import annotations

import json
import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
EXACT_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def test_package_json_pins_every_dependency_to_an_exact_version() -> None:
    package = json.loads((BASE_DIR / "package.json").read_text())
    pins = package.get("dependencies", {}) | package.get("devDependencies", {})

    assert pins
    assert {name: v for name, v in pins.items() if not EXACT_VERSION.match(v)} == {}


def test_package_lock_matches_package_json_and_records_no_addresses() -> None:
    package = json.loads((BASE_DIR / "package.json").read_text())
    lock_text = (BASE_DIR / "package-lock.json").read_text()
    lock = json.loads(lock_text)

    assert lock["packages"][""]["dependencies"] == package["dependencies"]
    assert {
        name: entry["version"]
        for name, entry in lock["packages"].items()
        if name.removeprefix("node_modules/") in package["dependencies"]
    } == {f"node_modules/{n}": v for n, v in package["dependencies"].items()}
    assert '"resolved"' not in lock_text
    assert "://" not in lock_text
