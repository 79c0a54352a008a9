"""The English catalogue: complete, compiled, and in step with the source.

The msgids are Indonesian (the primary language), so only English needs a catalogue.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

BASE_DIR = Path(__file__).resolve().parent.parent
EN_DIR = BASE_DIR / "locale" / "en" / "LC_MESSAGES"
EN_PO = EN_DIR / "django.po"
EN_MO = EN_DIR / "django.mo"
HINT = "run `make messages` and translate the new entries"
# Only what a Python process needs to start; the settings come from the test's own values.
_PASSTHROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def _active(catalogue: polib.POFile | polib.MOFile) -> list[polib.POEntry | polib.MOEntry]:
    return [entry for entry in catalogue if not entry.obsolete]


def _translations(catalogue: polib.POFile | polib.MOFile) -> dict[tuple[str, str], object]:
    """(context, msgid) → msgstr, or the plural forms for plural entries."""
    return {
        (entry.msgctxt or "", entry.msgid): (
            dict(entry.msgstr_plural) if entry.msgid_plural else entry.msgstr
        )
        for entry in _active(catalogue)
    }


def test_every_english_entry_is_translated_and_none_is_fuzzy() -> None:
    entries = [entry for entry in polib.pofile(str(EN_PO)) if not entry.obsolete]

    untranslated = [entry.msgid for entry in entries if not entry.translated()]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]

    assert not untranslated, f"Untranslated entries in {EN_PO.name}: {untranslated}"
    assert not fuzzy, f"Fuzzy entries in {EN_PO.name}: {fuzzy}"


def test_compiled_english_catalogue_matches_the_po_file() -> None:
    po = _translations(polib.pofile(str(EN_PO)))
    mo = _translations(polib.mofile(str(EN_MO)))
    # The .mo keeps the header as an entry with an empty msgid; the .po keeps it as metadata.
    mo.pop(("", ""), None)

    assert mo == po, "locale/en/LC_MESSAGES/django.mo is stale: run `make messages`"


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="xgettext (GNU gettext) is not installed, so makemessages cannot run",
)
def test_english_catalogue_covers_every_string_in_the_source(tmp_path: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("config", "telepati"):
        shutil.copytree(BASE_DIR / name, tmp_path / name, ignore=ignore)
    shutil.copy2(BASE_DIR / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    (tmp_path / "var").mkdir()
    env = {name: os.environ[name] for name in _PASSTHROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings_test",
        TELEPATI_VAR_DIR=str(tmp_path / "var"),
        PYTHONDONTWRITEBYTECODE="1",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    extracted = polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    source = {entry.msgid for entry in _active(extracted)}
    committed = {entry.msgid for entry in _active(polib.pofile(str(EN_PO)))}
    missing = sorted(source - committed)
    extra = sorted(committed - source)
    problem = f"locale/en/LC_MESSAGES/django.po is out of step with the source; {HINT}."
    assert not missing, f"{problem}\nMissing from the catalogue: {missing}"
    assert not extra, f"{problem}\nNo longer in the source: {extra}"


def test_phone_error_message_is_english_when_english_is_active() -> None:
    message = "Nomor telepon tidak dikenali. Tulis seperti 0812-3456-7890 atau +62 812-3456-7890."

    with translation.override("en"):
        translated = translation.gettext(message)

    assert translated == (
        "The phone number was not recognised. Write it like 0812-3456-7890 or +62 812-3456-7890."
    )
