"""Answers to a category's extra questions (Open311 attributes): checked by type and choices.

Pure module: no database access. `answers_clean` takes the category's questions (anything
shaped like `CategoryQuestion`) and what a door collected, and returns the answers to store,
keyed by question code, or raises `InvalidInput` with one Indonesian message per code.

Stored forms: string/text → str; number → int or float; datetime → ISO 8601 with offset
(a time without a zone is read as WIB); singlevaluelist → the chosen key; multivaluelist →
the chosen keys in the order given, without repeats. Empty optional answers are left out;
informational (non-variable) questions are never answered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils.translation import gettext as _

from telepati.core.errors import InvalidInput
from telepati.core.workdays import WIB

STRING_MAX_LENGTH = 255
TEXT_MAX_LENGTH = 4000


class QuestionLike(Protocol):
    """What validation needs of a question (a `CategoryQuestion` row fits)."""

    code: str
    datatype: str
    required: bool
    variable: bool
    values: Any


def _keys(question: QuestionLike) -> list[str]:
    values = question.values if isinstance(question.values, list) else []
    return [str(item.get("key")) for item in values if isinstance(item, dict)]


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return all(_is_empty(item) for item in value)
    return False


def _single(value: Any) -> Any:
    """A single answer: a list of one element counts as that element."""
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise ValueError
        return value[0]
    return value


def _text(value: Any, *, max_length: int, single_line: bool) -> str:
    value = _single(value)
    if not isinstance(value, (str, int, float, Decimal)) or isinstance(value, bool):
        raise ValueError
    text = str(value).strip()
    if single_line and ("\n" in text or "\r" in text):
        raise ValueError
    if len(text) > max_length:
        raise ValueError
    return text


def _number(value: Any) -> int | float:
    value = _single(value)
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValueError
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or abs(number) > Decimal("1e15"):
        raise ValueError
    if number == number.to_integral_value():
        return int(number)
    result = float(number)
    if math.isinf(result):
        raise ValueError
    return result


def _datetime(value: Any) -> str:
    value = _single(value)
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError from None
    else:
        raise ValueError
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    return moment.isoformat()


def _choice(value: Any, keys: Sequence[str]) -> str:
    value = _single(value)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError
    key = str(value).strip()
    if key not in keys:
        raise ValueError
    return key


def _choices(value: Any, keys: Sequence[str]) -> list[str]:
    items: Iterable[Any] = value if isinstance(value, (list, tuple)) else [value]
    chosen: list[str] = []
    for item in items:
        if _is_empty(item):
            continue
        key = _choice(item, keys)
        if key not in chosen:
            chosen.append(key)
    return chosen


def _error_message(datatype: str, keys: Sequence[str]) -> str:
    if datatype == "number":
        return _("Isi dengan angka.")
    if datatype == "datetime":
        return _("Isi tanggal dan jam, mis. 2026-11-02T10:00:00+07:00.")
    if datatype == "string":
        return _("Isi satu baris teks, paling banyak %(n)d karakter.") % {"n": STRING_MAX_LENGTH}
    if datatype == "text":
        return _("Isi teks paling banyak %(n)d karakter.") % {"n": TEXT_MAX_LENGTH}
    return _("Pilih dari: %(keys)s.") % {"keys": ", ".join(keys)}


def _answer_clean(question: QuestionLike, value: Any) -> Any:
    keys = _keys(question)
    datatype = question.datatype
    if datatype == "string":
        return _text(value, max_length=STRING_MAX_LENGTH, single_line=True)
    if datatype == "text":
        return _text(value, max_length=TEXT_MAX_LENGTH, single_line=False)
    if datatype == "number":
        return _number(value)
    if datatype == "datetime":
        return _datetime(value)
    if datatype == "singlevaluelist":
        return _choice(value, keys)
    if datatype == "multivaluelist":
        return _choices(value, keys)
    raise ValueError


def answers_clean(
    *,
    questions: Iterable[QuestionLike],
    answers: Mapping[str, Any],
    require: bool = True,
) -> dict[str, Any]:
    """The answers to store, keyed by code; `InvalidInput` (per code) when any is wrong.

    With `require` (the door asked the questions), required questions must be answered;
    a door that never shows the questions passes False and only what it sent is checked.
    """
    by_code = {question.code: question for question in questions if question.variable}
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for code in answers:
        if code not in by_code:
            errors[str(code)] = [_("Pertanyaan ini tidak ada untuk kategori yang dipilih.")]
    for code, question in by_code.items():
        value = answers.get(code)
        if _is_empty(value):
            if require and question.required:
                errors[code] = [_("Pertanyaan ini wajib dijawab.")]
            continue
        try:
            clean[code] = _answer_clean(question, value)
        except (ValueError, TypeError):
            errors[code] = [_error_message(question.datatype, _keys(question))]
    if errors:
        raise InvalidInput(
            _("Jawaban pertanyaan kategori belum benar. Periksa isian yang ditandai."),
            field_errors=errors,
        )
    return clean
