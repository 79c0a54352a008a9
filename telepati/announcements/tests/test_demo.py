"""The announcements demo: templates, about sixty subscriptions, one sent, one draft; once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from telepati.announcements.demo import load_announcement_demo
from telepati.announcements.lifecycle import Status
from telepati.announcements.models import Announcement, AnnouncementTemplate, Subscription
from telepati.demo.loaders import DemoContext, demo_accounts_load
from telepati.messaging.models import MessageStatus, OutboundMessage

pytestmark = pytest.mark.django_db


def test_the_demo_has_subscribers_a_sent_announcement_and_a_draft_and_runs_once():
    call_command("seed_reference", stdout=StringIO())
    context = DemoContext()
    demo_accounts_load(context)

    load_announcement_demo(context)
    load_announcement_demo(context)

    assert AnnouncementTemplate.objects.count() == 2
    assert 55 <= Subscription.objects.filter(is_active=True).count() <= 65
    statuses = sorted(Announcement.objects.values_list("status", flat=True))
    assert statuses == [Status.DRAFT, Status.SENT]
    sent = Announcement.objects.get(status=Status.SENT)
    messages = OutboundMessage.objects.filter(reference__startswith=f"announcement:{sent.pk}:")
    assert messages.count() == sent.recipients_done > 0
    assert not messages.filter(status=MessageStatus.QUEUED).exists()
    assert messages.filter(status=MessageStatus.FAILED).count() == 1
