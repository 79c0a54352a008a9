"""Filing a complaint through the bot: category → description → photos → location → confirm.

The draft lives in the conversation's `bot_data["draft"]`; each answer fills one part and the
bot asks for the first part still missing (`states.step_next`). Photos are remembered as ids
of the inbound messages that carried them and downloaded after the report is made (task
`bot_photos_attach`): nothing here touches the network. The confirming message's wamid is
the report's submission key, so a redelivered "Kirim" never makes a second report; the
intake service sends the tracking-number acknowledgement itself.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction

from telepati.core.errors import DomainError, InvalidInput
from telepati.org.models import Kelurahan
from telepati.reports.duplicates import report_duplicates_suggest
from telepati.reports.models import Category, Channel
from telepati.reports.selectors import category_list_public
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.whatsapp.bot import texts
from telepati.whatsapp.bot.states import (
    ADDRESS_MIN_LENGTH,
    DESCRIPTION_MIN_LENGTH,
    CategoryInfo,
    State,
    category_propose,
    is_continue,
    normalize,
    page_slice,
    step_next,
)
from telepati.whatsapp.bot.turn import Turn

PHOTO_KINDS = frozenset({"image"})


def filing_start(turn: Turn, *, draft: dict[str, Any] | None = None) -> None:
    turn.go(State.IDLE, data={"draft": draft or {}})
    filing_advance(turn)


def filing_advance(turn: Turn) -> None:
    """Ask for the first missing part of the draft."""
    state = step_next(turn.draft)
    turn.go(state)
    prompt(turn, state)


def prompt(turn: Turn, state: State, *, page: int = 0) -> None:
    if state == State.CATEGORY:
        _category_list(turn, page)
    elif state == State.DESCRIPTION:
        turn.reply(texts.description_prompt(_category_name(turn.draft.get("category", ""))))
    elif state == State.PHOTOS:
        turn.buttons(texts.photos_prompt(), [("photos:done", texts.continue_button())])
    elif state == State.LOCATION:
        turn.reply(texts.location_prompt())
    elif state == State.KELURAHAN:
        _kelurahan_list(turn, page)
    elif state == State.CONFIRM:
        _summary(turn)
    elif state == State.EDIT:
        turn.choices(texts.edit_prompt(), button=texts.edit_button(), rows=texts.edit_rows())


def filing_answer(turn: Turn) -> bool:
    """Handle an answer in a filing state; False when the bot did not understand it."""
    handler = _HANDLERS.get(turn.state)
    return handler(turn) if handler else False


def free_form_offer(turn: Turn) -> None:
    """A free-form first message (text and/or photo) offered as a report."""
    message = turn.message
    draft: dict[str, Any] = {}
    if len(message.text.strip()) >= DESCRIPTION_MIN_LENGTH:
        draft["description"] = message.text.strip()
    if message.kind in PHOTO_KINDS:
        draft["photos"] = [message.pk]
    infos = [CategoryInfo(c.code, c.name, c.description) for c in category_list_public()]
    code = category_propose(message.text, infos)
    name = next((info.name for info in infos if info.code == code), "")
    turn.go(State.PROPOSAL, data={"draft": draft, "proposed": code or ""})
    if code:
        turn.buttons(texts.proposal(name), texts.proposal_buttons(with_yes=True))
    else:
        turn.buttons(texts.proposal_without_category(), texts.proposal_buttons(with_yes=False))


# --- Answers per state -------------------------------------------------------------------


def _proposal(turn: Turn) -> bool:
    choice = turn.message.reply_id or {"ya": "proposal:yes"}.get(normalize(turn.message.text), "")
    if choice == "proposal:yes" and turn.data.get("proposed"):
        turn.draft["category"] = turn.data.pop("proposed")
    elif choice == "proposal:choose":
        turn.data.pop("proposed", None)
    else:
        return False
    filing_advance(turn)
    return True


def _category(turn: Turn) -> bool:
    reply_id = turn.message.reply_id
    if reply_id.startswith("catpage:"):
        prompt(turn, State.CATEGORY, page=_int(reply_id.removeprefix("catpage:")))
        return True
    categories = category_list_public()
    chosen = next(
        (
            c
            for c in categories
            if reply_id == f"cat:{c.code}" or normalize(turn.message.text) == normalize(c.name)
        ),
        None,
    )
    if chosen is None:
        return False
    turn.draft["category"] = chosen.code
    filing_advance(turn)
    return True


def _description(turn: Turn) -> bool:
    message = turn.message
    if message.kind not in ("text", *PHOTO_KINDS):
        return False
    if message.kind in PHOTO_KINDS:
        turn.draft.setdefault("photos", []).append(message.pk)
    if len(message.text.strip()) < DESCRIPTION_MIN_LENGTH:
        turn.reply(texts.description_short())
        return True
    turn.draft["description"] = message.text.strip()
    filing_advance(turn)
    return True


def _photos(turn: Turn) -> bool:
    message = turn.message
    if message.kind in PHOTO_KINDS:
        photos: list[int] = turn.draft.setdefault("photos", [])
        limit = settings.TELEPATI_UPLOAD_MAX_FILES
        if len(photos) >= limit:
            turn.buttons(texts.photo_limit(limit), [("photos:done", texts.continue_button())])
        else:
            photos.append(message.pk)
            turn.buttons(
                texts.photo_received(len(photos)), [("photos:done", texts.continue_button())]
            )
        return True
    if message.reply_id == "photos:done" or (message.kind == "text" and is_continue(message.text)):
        turn.draft["photos_done"] = True
        filing_advance(turn)
        return True
    return False


def _location(turn: Turn) -> bool:
    message = turn.message
    if message.kind == "location":
        pin = message.payload.get("location") or {}
        try:
            latitude = str(Decimal(str(pin.get("latitude"))))
            longitude = str(Decimal(str(pin.get("longitude"))))
        except (InvalidOperation, ValueError):
            return False
        turn.draft.update(
            latitude=latitude,
            longitude=longitude,
            location_name=str(pin.get("name") or "")[:100],
            address=str(pin.get("address") or pin.get("name") or "")[:255],
        )
    elif message.kind == "text" and not message.reply_id:
        if len(message.text.strip()) < ADDRESS_MIN_LENGTH:
            turn.reply(texts.address_short())
            return True
        turn.draft["address"] = message.text.strip()[:255]
    else:
        return False
    filing_advance(turn)
    return True


def _kelurahan(turn: Turn) -> bool:
    reply_id = turn.message.reply_id
    if reply_id.startswith("kelpage:"):
        prompt(turn, State.KELURAHAN, page=_int(reply_id.removeprefix("kelpage:")))
        return True
    chosen = next(
        (
            k
            for k in _kelurahan_all()
            if reply_id == f"kel:{k.pk}" or normalize(turn.message.text) == normalize(k.name)
        ),
        None,
    )
    if chosen is None:
        return False
    turn.draft["kelurahan_id"] = chosen.pk
    filing_advance(turn)
    return True


def _confirm(turn: Turn) -> bool:
    choice = turn.message.reply_id or {"kirim": "confirm:send", "ubah": "confirm:edit"}.get(
        normalize(turn.message.text), ""
    )
    if choice == "confirm:send":
        _submit(turn)
    elif choice == "confirm:edit":
        turn.go(State.EDIT)
        prompt(turn, State.EDIT)
    elif choice == "confirm:cancel":
        turn.go(State.IDLE, data={})
        turn.reply(texts.cancelled())
    else:
        return False
    return True


_EDIT_CLEARS = {
    "edit:category": ("category",),
    "edit:description": ("description",),
    "edit:photos": ("photos", "photos_done"),
    "edit:location": ("latitude", "longitude", "location_name", "address", "kelurahan_id"),
}


def _edit(turn: Turn) -> bool:
    cleared = _EDIT_CLEARS.get(turn.message.reply_id)
    if cleared is None:
        return False
    for key in cleared:
        turn.draft.pop(key, None)
    filing_advance(turn)
    return True


_HANDLERS = {
    State.PROPOSAL: _proposal,
    State.CATEGORY: _category,
    State.DESCRIPTION: _description,
    State.PHOTOS: _photos,
    State.LOCATION: _location,
    State.KELURAHAN: _kelurahan,
    State.CONFIRM: _confirm,
    State.EDIT: _edit,
}


# --- Lists, summary, submission ----------------------------------------------------------


def _category_list(turn: Turn, page: int) -> None:
    categories, more = page_slice(category_list_public(), page)
    rows = [(f"cat:{c.code}", c.name, c.description) for c in categories]
    if more:
        title, description = texts.more_row()
        rows.append((f"catpage:{page + 1}", title, description))
    turn.choices(texts.category_prompt(), button=texts.category_button(), rows=rows)


def _kelurahan_all() -> list[Kelurahan]:
    return list(
        Kelurahan.objects.filter(
            kecamatan__code=settings.TELEPATI_DEFAULT_KECAMATAN, is_active=True
        ).order_by("name")
    )


def _kelurahan_list(turn: Turn, page: int) -> None:
    kelurahan, more = page_slice(_kelurahan_all(), page)
    rows = [(f"kel:{k.pk}", k.name, "") for k in kelurahan]
    if more:
        title, description = texts.more_row()
        rows.append((f"kelpage:{page + 1}", title, description))
    turn.choices(texts.kelurahan_prompt(), button=texts.kelurahan_button(), rows=rows)


def _category_name(code: str) -> str:
    return Category.objects.filter(code=code).values_list("name", flat=True).first() or code


def _summary(turn: Turn) -> None:
    draft = turn.draft
    kelurahan_id = draft.get("kelurahan_id")
    kelurahan = Kelurahan.objects.filter(pk=kelurahan_id).first() if kelurahan_id else None
    if draft.get("latitude") is not None:
        location = texts.location_pin(draft.get("location_name", ""))
        address = draft.get("address", "")
        location = (
            f"{location}, {address}"
            if address and address != draft.get("location_name")
            else location
        )
    else:
        location = draft.get("address", "")
    turn.buttons(
        texts.summary(
            category=_category_name(draft.get("category", "")),
            description=draft.get("description", ""),
            photos=len(draft.get("photos", [])),
            location=location,
            kelurahan=kelurahan.name if kelurahan else "",
        ),
        texts.confirm_buttons(),
    )
    _similar_mention(turn, kelurahan)


def _similar_mention(turn: Turn, kelurahan: Kelurahan | None) -> None:
    draft = turn.draft
    category = Category.objects.filter(code=draft.get("category", "")).first()
    kecamatan_id = (
        kelurahan.kecamatan_id
        if kelurahan
        else Kelurahan.objects.filter(kecamatan__code=settings.TELEPATI_DEFAULT_KECAMATAN)
        .values_list("kecamatan_id", flat=True)
        .first()
    )
    if category is None or kecamatan_id is None:
        return
    latitude, longitude = draft.get("latitude"), draft.get("longitude")
    found = report_duplicates_suggest(
        category_id=category.pk,
        kecamatan_id=kecamatan_id,
        latitude=Decimal(latitude) if latitude is not None else None,
        longitude=Decimal(longitude) if longitude is not None else None,
        kelurahan_id=kelurahan.pk if kelurahan else None,
        limit=1,
    )
    if found:
        turn.reply(texts.similar_report(found[0].report.tracking_number))


def _submit(turn: Turn) -> None:
    draft, conversation = turn.draft, turn.conversation
    citizen = conversation.citizen
    try:
        report = report_submit(
            draft=ReportDraft(
                category_code=draft.get("category", ""),
                description=draft.get("description", ""),
                channel=Channel.WHATSAPP,
                kelurahan_id=draft.get("kelurahan_id"),
                latitude=draft.get("latitude"),
                longitude=draft.get("longitude"),
                address=draft.get("address", ""),
                reporter_name=conversation.profile_name or citizen.name,
                reporter_phone=citizen.phone
                or (f"+{conversation.wa_id}" if conversation.wa_id else ""),
                reporter_wa_bsuid=conversation.bsuid or citizen.wa_bsuid or "",
                submission_key=f"wa:{turn.message.wamid}",
            )
        )
    except InvalidInput as exc:
        problems = [str(m) for messages in exc.field_errors.values() for m in messages]
        turn.reply(texts.error(" ".join(problems) or str(exc)))
        return
    except DomainError as exc:
        turn.reply(texts.error(str(exc)))
        return
    turn.go(State.IDLE, data={})
    turn.reply(texts.submitted_next(), reference=report.tracking_number)
    photos = [int(pk) for pk in draft.get("photos", [])]
    if photos:
        from telepati.whatsapp.bot.tasks import bot_photos_attach

        report_id = report.pk
        transaction.on_commit(
            lambda: bot_photos_attach.enqueue(report_id=report_id, message_ids=photos),
            robust=True,
        )


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0
