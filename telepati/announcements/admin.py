"""Admin of announcements: topics and approved templates are reference data (editable by
administrators); subscriptions and announcements are read-only here — they change only
through the services (WhatsApp, the back-office pages)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from telepati.announcements.models import Announcement, AnnouncementTemplate, Subscription, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "code")


@admin.register(AnnouncementTemplate)
class AnnouncementTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "language", "is_active", "updated_at")
    list_filter = ("is_active", "language")
    search_fields = ("name", "body")


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(_ReadOnly):
    list_display = ("topic", "kelurahan", "is_active", "source", "opted_in_at", "opted_out_at")
    list_filter = ("is_active", "topic", "source", "kecamatan")


@admin.register(Announcement)
class AnnouncementAdmin(_ReadOnly):
    list_display = ("title", "kecamatan", "status", "recipient_total", "started_at")
    list_filter = ("status", "kecamatan")
    search_fields = ("title",)
