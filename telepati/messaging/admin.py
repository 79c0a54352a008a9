"""Admin for the outbox: a read-only list of messages to residents and how delivery went.

Rows are written by `message_enqueue` and moved by delivery only; the admin never edits,
adds or deletes them (a changed row would no longer say what was sent). Message texts and
numbers are personal data that belong to no kecamatan, so only superusers see the list.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from telepati.accounts.admin_scoping import is_superuser
from telepati.core.errors import DomainError
from telepati.messaging.models import OutboundMessage
from telepati.messaging.recovery import message_requeue


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """Outgoing messages, newest first, filterable by delivery status."""

    list_display = (
        "created_at",
        "recipient",
        "status",
        "reference",
        "attempts",
        "sent_at",
        "last_error_code",
    )
    list_filter = ("status", "last_error_code", "template_name")
    actions = ["requeue_failed"]
    search_fields = ("recipient_phone", "recipient_wa_bsuid", "reference", "dedupe_key")
    search_help_text = _("Cari nomor penerima, ID WhatsApp, rujukan atau kunci unik.")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    fields = (
        "recipient_phone",
        "recipient_wa_bsuid",
        "text",
        "template_name",
        "template_params",
        "interactive",
        "reference",
        "dedupe_key",
        "status",
        "attempts",
        "next_attempt_at",
        "provider_message_id",
        "last_error_code",
        "last_error",
        "created_at",
        "sent_at",
        "delivered_at",
        "read_at",
        "failed_at",
        "sending_started_at",
        "requeued_at",
        "requeued_by",
    )
    readonly_fields = fields

    @admin.action(description=_("Antrekan ulang pesan yang gagal"))
    def requeue_failed(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        """Re-queue through the outbox service; rows it refuses are reported, not changed."""
        done = 0
        for message_id in queryset.values_list("pk", flat=True):
            try:
                message_requeue(message_id=message_id, actor=request.user)  # type: ignore[arg-type]
            except DomainError as error:
                self.message_user(request, f"#{message_id}: {error}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(n)d pesan diantrekan ulang.", "%(n)d pesan diantrekan ulang.", done)
                % {"n": done},
                messages.SUCCESS,
            )

    @admin.display(description=_("penerima"), ordering="recipient_phone")
    def recipient(self, obj: OutboundMessage) -> str:
        return obj.recipient_phone or obj.recipient_wa_bsuid

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
