"""The bot's conversation table: states, the next step of a complaint draft, command parsing.

Pure: no database, no settings, no translations. A conversation is *idle* ("") or waits for
one answer (a `State`); a state expires after `STATE_TIMEOUT` without an answer. Filing a
complaint fills a draft (category → description → photos → location) and always asks for
the first thing still missing, so a draft begun from a free-form message ("ada sampah
menumpuk…") skips what the resident already said. A document pre-application fills its own
draft the same way (type → name → NIK or "lewati" → kelurahan → address → confirm), and
the hand-over choice after a document is issued waits for an address or a day. Commands are
read tolerant of case and spacing and work in any state; reply ids of document buttons
("doc:pickup:<code>", "doc:day:<code>:<yyyy-mm-dd>", …) are read by `doc_reply_parse`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

STATE_TIMEOUT = timedelta(minutes=30)
MISUNDERSTOOD_LIMIT = 3
DESCRIPTION_MIN_LENGTH = 10
ADDRESS_MIN_LENGTH = 5
NAME_MIN_LENGTH = 3
LIST_MAX_ROWS = 10


class State(StrEnum):
    IDLE = ""
    PROPOSAL = "proposal"  # a free-form message offered as a report
    CATEGORY = "report_category"
    DESCRIPTION = "report_description"
    PHOTOS = "report_photos"
    LOCATION = "report_location"
    KELURAHAN = "report_kelurahan"
    CONFIRM = "report_confirm"
    EDIT = "report_edit"
    CHECK_NUMBER = "check_number"
    DISPUTE_REASON = "dispute_reason"
    # Population documents: checking a code, pre-applying, choosing how to receive one.
    DOC_CHECK_CODE = "doc_check_code"
    DOC_TYPE = "doc_type"
    DOC_NAME = "doc_name"
    DOC_NIK = "doc_nik"
    DOC_KELURAHAN = "doc_kelurahan"
    DOC_ADDRESS = "doc_address"
    DOC_CONFIRM = "doc_confirm"
    DOC_DELIVERY_ADDRESS = "doc_delivery_address"  # "Alamat benar" / "Ubah alamat"
    DOC_DELIVERY_ADDRESS_TEXT = "doc_delivery_address_text"
    DOC_DELIVERY_DAY = "doc_delivery_day"
    # Temu cepat: booking a visit (service → day → slot → confirm), cancelling one.
    MEET_SERVICE = "meet_service"
    MEET_DAY = "meet_day"
    MEET_SLOT = "meet_slot"
    MEET_CONFIRM = "meet_confirm"
    MEET_CANCEL = "meet_cancel"
    # Announcement subscriptions: topic → kelurahan; confirming "berhenti".
    SUB_TOPIC = "sub_topic"
    SUB_KELURAHAN = "sub_kelurahan"
    SUB_STOP_CONFIRM = "sub_stop_confirm"


FILING_STATES = frozenset(
    {
        State.PROPOSAL,
        State.CATEGORY,
        State.DESCRIPTION,
        State.PHOTOS,
        State.LOCATION,
        State.KELURAHAN,
        State.CONFIRM,
        State.EDIT,
    }
)


DOC_APPLY_STATES = frozenset(
    {
        State.DOC_TYPE,
        State.DOC_NAME,
        State.DOC_NIK,
        State.DOC_KELURAHAN,
        State.DOC_ADDRESS,
        State.DOC_CONFIRM,
    }
)
DOC_STATES = DOC_APPLY_STATES | {
    State.DOC_CHECK_CODE,
    State.DOC_DELIVERY_ADDRESS,
    State.DOC_DELIVERY_ADDRESS_TEXT,
    State.DOC_DELIVERY_DAY,
}

MEET_STATES = frozenset(
    {State.MEET_SERVICE, State.MEET_DAY, State.MEET_SLOT, State.MEET_CONFIRM, State.MEET_CANCEL}
)


SUB_STATES = frozenset({State.SUB_TOPIC, State.SUB_KELURAHAN, State.SUB_STOP_CONFIRM})


def step_next(draft: dict[str, Any]) -> State:
    """The first thing a complaint draft still lacks, or CONFIRM when it is complete."""
    if not draft.get("category"):
        return State.CATEGORY
    if len(str(draft.get("description", "")).strip()) < DESCRIPTION_MIN_LENGTH:
        return State.DESCRIPTION
    if not draft.get("photos_done"):
        return State.PHOTOS
    if draft.get("latitude") is None and not draft.get("kelurahan_id"):
        return State.KELURAHAN if draft.get("address") else State.LOCATION
    return State.CONFIRM


def doc_step_next(draft: dict[str, Any]) -> State:
    """The first thing a document pre-application still lacks, or DOC_CONFIRM when complete."""
    if not draft.get("type"):
        return State.DOC_TYPE
    if len(str(draft.get("name", "")).strip()) < NAME_MIN_LENGTH:
        return State.DOC_NAME
    if not draft.get("nik_done"):
        return State.DOC_NIK
    if not draft.get("kelurahan_id"):
        return State.DOC_KELURAHAN
    if len(str(draft.get("address", "")).strip()) < ADDRESS_MIN_LENGTH:
        return State.DOC_ADDRESS
    return State.DOC_CONFIRM


# --- Reading what the resident typed ---------------------------------------------------


def normalize(text: str) -> str:
    """Lower case, single spaces, no surrounding punctuation: "  MENU! " → "menu"."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(folded.split()).strip(" .!?,;:")


MENU_WORDS = frozenset({"menu", "menu utama", "mulai", "start", "kembali"})
CANCEL_WORDS = frozenset({"batal", "batalkan", "cancel", "stop"})
HANDOVER_WORDS = frozenset(
    {"petugas", "operator", "admin", "bicara dengan petugas", "hubungi petugas", "cs"}
)
GREETING_WORDS = frozenset(
    {
        "halo",
        "hallo",
        "hai",
        "hi",
        "hello",
        "p",
        "pagi",
        "siang",
        "sore",
        "malam",
        "selamat pagi",
        "selamat siang",
        "selamat sore",
        "selamat malam",
        "assalamualaikum",
        "assalamu'alaikum",
        "permisi",
        "tes",
        "test",
    }
)
CONTINUE_WORDS = frozenset({"lanjut", "lanjutkan", "selesai", "sudah", "skip", "lewati", "tidak"})

_CHECK = re.compile(r"^cek\s+#?([a-z0-9][a-z0-9-]{0,29})$")
_CHECK_DOC = re.compile(r"^cek\s+dok(?:umen)?(?:\s+#?(\S{1,40}))?$")
_APPLY_DOC = re.compile(r"^(?:daftar|daftarkan|ajukan)\s+dok(?:umen)?$")
# Application codes ("D2611-0007"): "cek D2611-0007" is read as a document check.
_DOCUMENT_CODE = re.compile(r"^D\d{4}-\d{4,}$")
_RATING = re.compile(r"^[1-5]$")


@dataclass(frozen=True)
class Command:
    """A command read from a message: its name and its arguments."""

    name: str  # menu, cancel, handover, check, check_doc, apply_doc, dispute, rate
    arg: str = ""
    rest: str = ""


def command_parse(text: str) -> Command | None:
    """The command a text message carries, or None for anything else."""
    words = normalize(text)
    if not words:
        return None
    if words in MENU_WORDS:
        return Command("menu")
    if words in CANCEL_WORDS:
        return Command("cancel")
    if words in HANDOVER_WORDS:
        return Command("handover")
    doc = _CHECK_DOC.match(words)
    if doc:
        return Command("check_doc", arg=(doc.group(1) or "").upper())
    if _APPLY_DOC.match(words):
        return Command("apply_doc")
    check = _CHECK.match(words)
    if check:
        number = check.group(1).upper()
        return Command("check_doc" if _DOCUMENT_CODE.match(number) else "check", arg=number)
    if words == "sanggah" or words.startswith("sanggah "):
        # The reason keeps the resident's own spelling.
        parts = " ".join((text or "").split()).split(" ", 2)
        number = parts[1].lstrip("#").upper() if len(parts) > 1 else ""
        reason = parts[2].strip() if len(parts) > 2 else ""
        return Command("dispute", arg=number, rest=reason)
    if _RATING.match(words):
        return Command("rate", arg=words)
    return None


def is_document_code(text: str) -> bool:
    return bool(_DOCUMENT_CODE.match(text))


@dataclass(frozen=True)
class DocReply:
    """A tapped document button or row: "doc:<action>[:<argument>[:<day>]]"."""

    action: str  # pickup, delivery, addrok, addredit, day, status, info, infopage, apply, …
    arg: str = ""  # an application code (upper case), a document type code or a page
    day: date | None = None


def doc_reply_parse(reply_id: str) -> DocReply | None:
    """The document button a reply id names, or None (not ours, or a malformed day)."""
    parts = (reply_id or "").split(":")
    if len(parts) < 2 or parts[0] != "doc" or not parts[1]:
        return None
    action, arg = parts[1], parts[2] if len(parts) > 2 else ""
    if action in _CODE_ACTIONS:
        arg = arg.upper()
    if action != "day":
        return DocReply(action, arg)
    try:
        return DocReply(action, arg, date.fromisoformat(parts[3] if len(parts) > 3 else ""))
    except ValueError:
        return None


_CODE_ACTIONS = frozenset({"pickup", "delivery", "addrok", "addredit", "day", "status"})


def is_greeting(text: str) -> bool:
    return normalize(text) in GREETING_WORDS


def is_continue(text: str) -> bool:
    return normalize(text) in CONTINUE_WORDS


# --- Proposing a category for a free-form message --------------------------------------

# Indonesian words residents use, pointing at a category code (or a word of its name).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "kebersihan": ("sampah", "kotor", "bau", "tumpukan", "menumpuk", "limbah", "tps"),
    "banjir-drainase": ("banjir", "parit", "got", "drainase", "selokan", "tergenang", "genangan"),
    "jalan": ("jalan", "lubang", "berlubang", "aspal", "rusak", "trotoar", "jembatan"),
    "penerangan": ("lampu", "pju", "gelap", "penerangan"),
    "adminduk": ("ktp", "kk", "akta", "kartu keluarga", "e-ktp", "domisili", "pindah"),
    "ketertiban": ("parkir", "liar", "bising", "ribut", "pedagang", "trantib"),
    "pohon": ("pohon", "tumbang", "ranting"),
}


@dataclass(frozen=True)
class CategoryInfo:
    """What the scoring needs to know of a category."""

    code: str
    name: str
    description: str = ""


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9-]+", normalize(text)))


def category_propose(text: str, categories: Sequence[CategoryInfo]) -> str | None:
    """The code of the category a free-form text most likely belongs to; None when unsure.

    A keyword of the table scores 3 for the category whose code contains its key, a word of
    the category's name 2, a word of its description 1 (words of 4+ letters only).
    """
    words = _words(text)
    joined = f" {normalize(text)} "
    if not words:
        return None
    best: tuple[int, str] | None = None
    for category in categories:
        score = 0
        for key, keywords in KEYWORDS.items():
            if key in category.code or category.code in key:
                score += 3 * sum(1 for word in keywords if f" {word} " in joined)
        score += 2 * len({w for w in _words(category.name) if len(w) >= 4} & words)
        score += len({w for w in _words(category.description) if len(w) >= 4} & words)
        if score and (best is None or score > best[0]):
            best = (score, category.code)
    return best[1] if best else None


# --- Long choice lists -------------------------------------------------------------------


def page_slice(items: Sequence[Any], page: int) -> tuple[list[Any], bool]:
    """One page of a choice list within WhatsApp's 10 rows: 9 items and a "more" row when
    there are more, the last page whole. Returns the items and whether a "more" row follows."""
    if len(items) <= LIST_MAX_ROWS:
        return list(items), False
    per_page = LIST_MAX_ROWS - 1
    start = page * per_page
    rest = items[start:]
    if len(rest) <= LIST_MAX_ROWS:
        return list(rest), False
    return list(rest[:per_page]), True


def shorten(text: str, limit: int) -> str:
    """Cut a title to WhatsApp's limit with an ellipsis."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
