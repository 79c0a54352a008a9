"""WhatsApp conversations for the WA Center operators (/kantor/percakapan/).

Thin: reads come from `whatsapp.selectors` (the line's kecamatan desk only), changes from
`whatsapp.services_handover`. The open thread refreshes itself every 10 seconds with an HTMX
fragment (`conversation_thread`); actions are POSTs answered with a redirect (PRG) and a
message, or with the page, the message and the typed reply when refused.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from telepati.accounts.capabilities import Capability
from telepati.backoffice.access import OfficerRequest, officer_view
from telepati.backoffice.conversations.forms import ReplyForm
from telepati.core.errors import InvalidInput, InvalidTransition
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.selectors import (
    conversation_get_for_officer,
    conversation_list_for_officer,
    conversation_reports,
    conversation_thread,
    resident_phone_masked,
)
from telepati.whatsapp.services_handover import (
    WINDOW,
    conversation_release,
    conversation_reply,
    conversation_take,
)

POLL_SECONDS = 10


@officer_view(Capability.HANDLE_CONVERSATIONS)
def conversations(request: OfficerRequest) -> HttpResponse:
    inbox = conversation_list_for_officer(
        user=request.user, cursor=request.GET.get("setelah", ""), scope=request.officer_scope
    )
    rows = {
        "waiting": [(c, resident_phone_masked(c)) for c in inbox.waiting],
        "recent": [(c, resident_phone_masked(c)) for c in inbox.recent],
    }
    context = {
        "inbox": inbox,
        "rows": rows,
        "now": timezone.now(),
        "is_later_page": bool(request.GET.get("setelah")),
    }
    return render(request, "backoffice/conversations/list.html", context)


def _thread_context(
    request: OfficerRequest, conversation_id: int
) -> tuple[Conversation, dict[str, object]]:
    conversation = conversation_get_for_officer(
        user=request.user, conversation_id=conversation_id, scope=request.officer_scope
    )
    cursor = request.GET.get("sebelum", "")
    return conversation, {
        "conversation": conversation,
        "thread": conversation_thread(conversation=conversation, cursor=cursor),
        "is_older_page": bool(cursor),
        "poll_seconds": POLL_SECONDS,
    }


def _page(
    request: OfficerRequest,
    conversation_id: int,
    *,
    form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    conversation, context = _thread_context(request, conversation_id)
    last = conversation.last_inbound_at
    now = timezone.now()
    context |= {
        "phone": resident_phone_masked(conversation),
        "reports": conversation_reports(conversation=conversation, scope=request.officer_scope),
        "form": form or ReplyForm(initial={"client_key": uuid.uuid4().hex}),
        "is_mine": conversation.handed_over_to_id == request.user.pk,
        "window_open": last is not None and now - last < WINDOW,
        "window_closes": last + WINDOW if last is not None else None,
        "now": now,
    }
    return render(request, "backoffice/conversations/detail.html", context, status=status)


@officer_view(Capability.HANDLE_CONVERSATIONS)
def conversation_detail(request: OfficerRequest, conversation_id: int) -> HttpResponse:
    return _page(request, conversation_id)


@officer_view(Capability.HANDLE_CONVERSATIONS)
def conversation_thread_fragment(request: OfficerRequest, conversation_id: int) -> HttpResponse:
    _, context = _thread_context(request, conversation_id)
    return render(request, "backoffice/conversations/_thread.html", context)


def _back(conversation_id: int) -> HttpResponse:
    return redirect("backoffice:conversation_detail", conversation_id=conversation_id)


@officer_view(Capability.HANDLE_CONVERSATIONS)
@require_POST
def conversation_take_view(request: OfficerRequest, conversation_id: int) -> HttpResponse:
    conversation_get_for_officer(
        user=request.user, conversation_id=conversation_id, scope=request.officer_scope
    )
    conversation_take(user=request.user, conversation_id=conversation_id)
    messages.success(request, _("Percakapan Anda ambil alih; bot tidak membalas warga ini."))
    return _back(conversation_id)


@officer_view(Capability.HANDLE_CONVERSATIONS)
@require_POST
def conversation_release_view(request: OfficerRequest, conversation_id: int) -> HttpResponse:
    conversation_get_for_officer(
        user=request.user, conversation_id=conversation_id, scope=request.officer_scope
    )
    try:
        conversation_release(user=request.user, conversation_id=conversation_id)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
        return _page(request, conversation_id, status=409)
    messages.success(request, _("Percakapan dikembalikan ke bot."))
    return _back(conversation_id)


@officer_view(Capability.HANDLE_CONVERSATIONS)
@require_POST
def conversation_reply_view(request: OfficerRequest, conversation_id: int) -> HttpResponse:
    conversation_get_for_officer(
        user=request.user, conversation_id=conversation_id, scope=request.officer_scope
    )
    form = ReplyForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        conversation_reply(
            user=request.user,
            conversation_id=conversation_id,
            text=data.get("text", ""),
            client_key=data.get("client_key") or uuid.uuid4().hex,
        )
    except InvalidInput as exc:
        for field, errors in exc.field_errors.items():
            form.add_error(field if field in form.fields else None, errors)
        messages.error(request, str(exc))
        return _page(request, conversation_id, form=form, status=400)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
        return _page(request, conversation_id, form=form, status=409)
    messages.success(request, _("Balasan masuk antrean kirim."))
    return _back(conversation_id)
