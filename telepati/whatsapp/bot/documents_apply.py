"""The document catalogue ("Info layanan") and pre-applying for a document through the bot.

The catalogue is a list of the active document types; a row shows one type's requirements,
fee, target days and whether it is delivered, with a *Daftar* button.

Type → applicant's name → NIK (or "lewati") → kelurahan → address → summary with *Kirim* /
*Batal*. The draft lives in the conversation's `bot_data["doc"]`; each answer fills one
part and the bot asks for the first part still missing (`states.doc_step_next`), so a draft
begun from the catalogue's *Daftar* button starts with its type. *Kirim* calls
`application_preregister` with the confirming message's wamid as the submission key: a
redelivered *Kirim* never makes a second application. The service sends the code and the
requirements to bring itself; input it refuses (InvalidInput) is shown with the question
that part came from, asked again.
"""

from __future__ import annotations

from typing import Any

from telepati.core.errors import DomainError, InvalidInput, NotFound
from telepati.documents.models import Channel, DocumentType
from telepati.documents.selectors import document_type_get_public, document_type_list_public
from telepati.documents.services.common import nik_clean, nik_mask
from telepati.documents.services.registration import ApplicationDraft, application_preregister
from telepati.org.models import Kelurahan
from telepati.whatsapp.bot import documents_texts as dt
from telepati.whatsapp.bot import texts
from telepati.whatsapp.bot.states import (
    ADDRESS_MIN_LENGTH,
    NAME_MIN_LENGTH,
    State,
    doc_reply_parse,
    doc_step_next,
    is_continue,
    normalize,
    page_slice,
)
from telepati.whatsapp.bot.turn import Turn

NIK_SKIP_ID = "doc:nikskip"
# Which part of the draft a refused field came from (asked again after the message).
_FIELD_PARTS: dict[str, tuple[str, ...]] = {
    "document_type": ("type",),
    "applicant_name": ("name",),
    "nik": ("nik", "nik_done"),
    "kelurahan": ("kelurahan_id",),
    "address": ("address",),
}


# --- The catalogue ---------------------------------------------------------------------------


def document_types() -> list[DocumentType]:
    """The active document types residents may see, in catalogue order."""
    return list(document_type_list_public())


def document_type_find(code: str) -> DocumentType | None:
    if not code:
        return None
    try:
        return document_type_get_public(code=code)
    except NotFound:
        return None


def types_rows(page: int, *, prefix: str) -> list[tuple[str, str, str]]:
    """One page of the catalogue as list rows `<prefix>:<code>` (and a "more" row)."""
    types, more = page_slice(document_types(), page)
    rows = [(f"{prefix}:{t.code}", t.short_name or t.name, t.description) for t in types]
    if more:
        title, description = texts.more_row()
        rows.append((f"{prefix}page:{page + 1}", title, description))
    return rows


# --- "Info layanan" ---------------------------------------------------------------------------


def info_show(turn: Turn, page: int = 0) -> None:
    """ "Info layanan": the document types as a list; a row shows one type's details."""
    turn.go(State.IDLE, data={})
    rows = types_rows(page, prefix="doc:info")
    if not rows:
        turn.reply(dt.info_empty())
        return
    turn.choices(dt.info_prompt(), button=dt.info_button(), rows=rows)


def info_type(turn: Turn, type_code: str) -> None:
    turn.go(State.IDLE, data={})
    document_type = document_type_find(type_code)
    if document_type is None:
        info_show(turn)
        return
    turn.buttons(
        dt.type_info(
            name=document_type.name,
            description=document_type.description,
            requirements=[str(r).strip() for r in document_type.requirements if str(r).strip()],
            fee=document_type.fee_note,
            target_days=document_type.target_days,
            delivery=document_type.delivery_available,
        ),
        dt.type_info_buttons(f"doc:apply:{document_type.code}"),
    )


# --- The conversation ------------------------------------------------------------------------


def _draft(turn: Turn) -> dict[str, Any]:
    draft: dict[str, Any] = turn.data.setdefault("doc", {})
    return draft


def apply_start(turn: Turn, type_code: str = "") -> None:
    """Begin a pre-application (from "daftar dokumen", the menu or the *Daftar* button)."""
    chosen = document_type_find(type_code)
    turn.go(State.IDLE, data={"doc": {"type": chosen.code} if chosen else {}})
    apply_advance(turn)


def apply_advance(turn: Turn) -> None:
    state = doc_step_next(_draft(turn))
    turn.go(state)
    apply_prompt(turn, state)


def apply_prompt(turn: Turn, state: State, *, page: int = 0) -> None:
    draft = _draft(turn)
    if state == State.DOC_TYPE:
        rows = types_rows(page, prefix="doc:type")
        if not rows:
            turn.go(State.IDLE, data={})
            turn.reply(dt.info_empty())
            return
        turn.choices(dt.type_prompt(), button=dt.type_button(), rows=rows)
    elif state == State.DOC_NAME:
        document_type = document_type_find(draft.get("type", ""))
        turn.reply(dt.name_prompt(document_type.name if document_type else ""))
    elif state == State.DOC_NIK:
        turn.buttons(dt.nik_prompt(), [(NIK_SKIP_ID, dt.skip_button())])
    elif state == State.DOC_KELURAHAN:
        kelurahan, more = page_slice(_kelurahan_all(draft), page)
        rows = [(f"doc:kel:{k.pk}", k.name, "") for k in kelurahan]
        if more:
            title, description = texts.more_row()
            rows.append((f"doc:kelpage:{page + 1}", title, description))
        turn.choices(dt.kelurahan_prompt(), button=dt.kelurahan_button(), rows=rows)
    elif state == State.DOC_ADDRESS:
        turn.reply(dt.address_prompt())
    elif state == State.DOC_CONFIRM:
        _summary(turn)


def apply_answer(turn: Turn) -> bool:
    """Handle an answer in a pre-application state; False when the bot did not understand."""
    handler = _HANDLERS.get(turn.state)
    return handler(turn) if handler else False


def _text(turn: Turn) -> str | None:
    """The typed text of the message; None for anything else (a tap, a photo, …)."""
    message = turn.message
    if message.kind != "text" or message.reply_id:
        return None
    return " ".join(message.text.split())


def _page(turn: Turn, action: str) -> int | None:
    reply = doc_reply_parse(turn.message.reply_id)
    if reply is None or reply.action != action:
        return None
    return int(reply.arg) if reply.arg.isdigit() else 0


def _type(turn: Turn) -> bool:
    page = _page(turn, "typepage")
    if page is not None:
        apply_prompt(turn, State.DOC_TYPE, page=page)
        return True
    reply = doc_reply_parse(turn.message.reply_id)
    typed = normalize(turn.message.text) if turn.message.kind == "text" else ""
    chosen = next(
        (
            t
            for t in document_types()
            if (reply is not None and reply.action == "type" and reply.arg == t.code)
            or (typed and typed in (normalize(t.name), normalize(t.short_name)))
        ),
        None,
    )
    if chosen is None:
        return False
    _draft(turn)["type"] = chosen.code
    apply_advance(turn)
    return True


def _name(turn: Turn) -> bool:
    name = _text(turn)
    if name is None:
        return False
    if len(name) < NAME_MIN_LENGTH:
        turn.reply(dt.name_short())
        return True
    _draft(turn)["name"] = name
    apply_advance(turn)
    return True


def _nik(turn: Turn) -> bool:
    draft = _draft(turn)
    text = _text(turn)
    if turn.message.reply_id == NIK_SKIP_ID or (text is not None and is_continue(text)):
        draft.update(nik="", nik_done=True)
        apply_advance(turn)
        return True
    if text is None:
        return False
    try:
        nik = nik_clean(text)
    except InvalidInput as exc:
        turn.reply(texts.error(str(exc)))
        apply_prompt(turn, State.DOC_NIK)
        return True
    draft.update(nik=nik, nik_done=True)
    apply_advance(turn)
    return True


def _kelurahan(turn: Turn) -> bool:
    page = _page(turn, "kelpage")
    if page is not None:
        apply_prompt(turn, State.DOC_KELURAHAN, page=page)
        return True
    draft = _draft(turn)
    reply = doc_reply_parse(turn.message.reply_id)
    typed = normalize(turn.message.text) if turn.message.kind == "text" else ""
    chosen = next(
        (
            k
            for k in _kelurahan_all(draft)
            if (reply is not None and reply.action == "kel" and reply.arg == str(k.pk))
            or (typed and typed == normalize(k.name))
        ),
        None,
    )
    if chosen is None:
        return False
    draft["kelurahan_id"] = chosen.pk
    apply_advance(turn)
    return True


def _address(turn: Turn) -> bool:
    address = _text(turn)
    if address is None:
        return False
    if len(address) < ADDRESS_MIN_LENGTH:
        turn.reply(dt.address_short())
        return True
    _draft(turn)["address"] = address[:255]
    apply_advance(turn)
    return True


def _confirm(turn: Turn) -> bool:
    choice = turn.message.reply_id or {"kirim": "doc:send"}.get(normalize(turn.message.text), "")
    if choice == "doc:send":
        _submit(turn)
    elif choice == "doc:cancel":
        turn.go(State.IDLE, data={})
        turn.reply(texts.cancelled())
    else:
        return False
    return True


_HANDLERS = {
    State.DOC_TYPE: _type,
    State.DOC_NAME: _name,
    State.DOC_NIK: _nik,
    State.DOC_KELURAHAN: _kelurahan,
    State.DOC_ADDRESS: _address,
    State.DOC_CONFIRM: _confirm,
}


# --- Lists, summary, submission --------------------------------------------------------------


def _kelurahan_all(draft: dict[str, Any]) -> list[Kelurahan]:
    """The active kelurahan of the chosen document type's kecamatan, by name."""
    document_type = document_type_find(draft.get("type", ""))
    if document_type is None:
        return []
    return list(
        Kelurahan.objects.filter(kecamatan_id=document_type.kecamatan_id, is_active=True).order_by(
            "name"
        )
    )


def _summary(turn: Turn) -> None:
    draft = _draft(turn)
    document_type = document_type_find(draft.get("type", ""))
    kelurahan = Kelurahan.objects.filter(pk=int(draft.get("kelurahan_id") or 0)).first()
    turn.buttons(
        dt.summary(
            document=document_type.name if document_type else "",
            name=draft.get("name", ""),
            nik=nik_mask(draft.get("nik", "")),
            kelurahan=kelurahan.name if kelurahan else "",
            address=draft.get("address", ""),
        ),
        dt.confirm_buttons(),
    )


def _submit(turn: Turn) -> None:
    draft, conversation = _draft(turn), turn.conversation
    citizen = conversation.citizen
    document_type = document_type_find(draft.get("type", ""))
    if document_type is None:  # withdrawn from the catalogue meanwhile
        draft.pop("type", None)
        apply_advance(turn)
        return
    try:
        application = application_preregister(
            draft=ApplicationDraft(
                document_type_id=document_type.pk,
                applicant_name=draft.get("name", ""),
                phone=citizen.phone or (f"+{conversation.wa_id}" if conversation.wa_id else ""),
                nik=draft.get("nik", ""),
                kelurahan_id=draft.get("kelurahan_id"),
                address=draft.get("address", ""),
                submission_key=f"wa:{turn.message.wamid}",
                wa_bsuid=conversation.bsuid or citizen.wa_bsuid or "",
            ),
            channel=Channel.WHATSAPP,
            citizen=citizen,
        )
    except InvalidInput as exc:
        _refused(turn, exc)
        return
    except DomainError as exc:
        turn.reply(texts.error(str(exc)))
        return
    turn.go(State.IDLE, data={})
    turn.reply(dt.submitted_next(), application=application.code)


def _refused(turn: Turn, exc: InvalidInput) -> None:
    """Show what was refused and ask that part again (the summary when it cannot be fixed)."""
    draft = _draft(turn)
    message = next((str(m) for ms in exc.field_errors.values() for m in ms), "") or str(exc)
    turn.reply(texts.error(message))
    parts = [part for field in exc.field_errors for part in _FIELD_PARTS.get(field, ())]
    if "phone" in exc.field_errors:  # the sender's own number: nothing the resident can fix
        turn.go(State.IDLE, data={})
        return
    if not parts:
        apply_prompt(turn, State.DOC_CONFIRM)
        return
    for part in parts:
        draft.pop(part, None)
    apply_advance(turn)
