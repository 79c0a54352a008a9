"""Admin for the WhatsApp door: read-only views of deliveries, conversations and messages.

Rows are written by the webhook and its processing only; the admin never adds, edits or
deletes them (a changed row would no longer say what Meta sent). Message texts, numbers and
raw payloads are personal data that belong to no kecamatan, so only superusers see them.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from telepati.accounts.admin_scoping import is_superuser
from telepati.core.errors import DomainError
from telepati.whatsapp.models import Conversation, InboundMessage, StatusEvent, WebhookDelivery
from telepati.whatsapp.services_handover import conversation_release, conversation_take


class _SuperuserReadOnly(admin.ModelAdmin):
    """Visible to superusers only, and never changed through the admin."""

    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def _pretty(value: Any) -> SafeString:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(_SuperuserReadOnly):
    """Raw deliveries, newest first; filter by status to find failed or skipped parts."""

    list_display = ("received_at", "status", "attempts", "problem_count", "processed_at")
    list_filter = ("status",)
    date_hierarchy = "received_at"
    ordering = ("-received_at", "-id")
    fields = (
        "received_at",
        "status",
        "attempts",
        "processed_at",
        "error",
        "problems_pretty",
        "headers_pretty",
        "body_pretty",
    )
    readonly_fields = fields

    @admin.display(description=_("bagian dilewati"))
    def problem_count(self, obj: WebhookDelivery) -> int:
        return len(obj.problems or [])

    @admin.display(description=_("bagian yang dilewati"))
    def problems_pretty(self, obj: WebhookDelivery) -> SafeString:
        return _pretty(obj.problems)

    @admin.display(description=_("header terpilih"))
    def headers_pretty(self, obj: WebhookDelivery) -> SafeString:
        return _pretty(obj.headers)

    @admin.display(description=_("isi mentah"))
    def body_pretty(self, obj: WebhookDelivery) -> SafeString:
        try:
            return _pretty(json.loads(obj.body))
        except ValueError:
            return format_html("<pre>{}</pre>", obj.body)


@admin.register(Conversation)
class ConversationAdmin(_SuperuserReadOnly):
    """One WhatsApp thread per resident: identity, 24-hour window, bot state, handover."""

    list_display = (
        "profile_name",
        "wa_id",
        "bsuid",
        "last_inbound_at",
        "bot_state",
        "handed_over_to",
    )
    list_select_related = ("handed_over_to",)
    search_fields = ("wa_id", "bsuid", "profile_name", "citizen__name", "citizen__phone")
    search_help_text = _("Cari nomor, ID pengguna WhatsApp atau nama.")
    ordering = ("-last_inbound_at", "-id")
    fields = (
        "citizen",
        "wa_id",
        "bsuid",
        "profile_name",
        "last_inbound_at",
        "acknowledged_at",
        "bot_state",
        "bot_data",
        "bot_state_expires_at",
        "handed_over_at",
        "handed_over_to",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    actions = ["take_over", "give_back_to_bot"]

    @admin.action(description=_("Ambil alih dari bot"))
    def take_over(self, request: HttpRequest, queryset: QuerySet[Conversation]) -> None:
        self._each(request, queryset, conversation_take, _("Diambil alih: %(n)d percakapan."))

    @admin.action(description=_("Kembalikan ke bot"))
    def give_back_to_bot(self, request: HttpRequest, queryset: QuerySet[Conversation]) -> None:
        self._each(
            request, queryset, conversation_release, _("Dikembalikan ke bot: %(n)d percakapan.")
        )

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Conversation], service: Any, done_text: Any
    ) -> None:
        """Call the handover service per row; refusals are reported and change nothing."""
        done = 0
        for conversation_id in queryset.values_list("pk", flat=True):
            try:
                service(user=request.user, conversation_id=conversation_id)
            except DomainError as error:
                self.message_user(request, f"#{conversation_id}: {error}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, done_text % {"n": done}, messages.SUCCESS)


@admin.register(InboundMessage)
class InboundMessageAdmin(_SuperuserReadOnly):
    """Messages residents sent, newest first."""

    list_display = ("sent_at", "conversation", "kind", "short_text", "handled_at", "media_status")
    list_filter = ("kind", "media_status")
    list_select_related = ("conversation",)
    search_fields = ("wamid", "text", "conversation__wa_id", "conversation__bsuid")
    search_help_text = _("Cari ID pesan, teks, nomor atau ID pengguna WhatsApp.")
    date_hierarchy = "sent_at"
    ordering = ("-sent_at", "-id")
    fields = (
        "wamid",
        "conversation",
        "delivery",
        "kind",
        "text",
        "reply_id",
        "context_id",
        "sent_at",
        "received_at",
        "handled_at",
        "media_id",
        "media_mime",
        "media_status",
        "media_file",
        "errors",
        "payload_pretty",
    )
    readonly_fields = fields

    @admin.display(description=_("teks"))
    def short_text(self, obj: InboundMessage) -> str:
        return obj.text if len(obj.text) <= 60 else obj.text[:59] + "…"

    @admin.display(description=_("pesan mentah"))
    def payload_pretty(self, obj: InboundMessage) -> SafeString:
        return _pretty(obj.payload)


@admin.register(StatusEvent)
class StatusEventAdmin(_SuperuserReadOnly):
    """Delivery statuses Meta reported for our messages (also for ids we do not know)."""

    list_display = ("at", "wamid", "status", "recipient")
    list_filter = ("status",)
    search_fields = ("wamid", "recipient")
    ordering = ("-at", "-id")
    fields = ("wamid", "status", "at", "recipient", "errors", "delivery", "received_at")
    readonly_fields = fields
