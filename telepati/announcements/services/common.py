"""The recipe shared by every announcement change: lock, access, version, lifecycle."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.announcements.lifecycle import Action, Status, transition_target
from telepati.announcements.models import Announcement
from telepati.core.errors import Conflict, Forbidden, InvalidTransition, NotFound

_PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


def announcement_lock(*, announcement_id: int) -> Announcement:
    """The announcement row, locked for the rest of the transaction; NotFound if absent."""
    try:
        return (
            Announcement.objects.select_for_update(of=("self",))
            .select_related("template")
            .get(pk=announcement_id)
        )
    except Announcement.DoesNotExist:
        raise NotFound(_("Pengumuman tidak ditemukan.")) from None


def officer_require(*, actor: User, kecamatan_id: int) -> None:
    """Outside the officer's kecamatan → NotFound; a role that may not send → Forbidden."""
    scope = officer_scope_get(user=actor)
    if scope.is_superuser:
        return
    if kecamatan_id not in scope.kecamatan_ids | scope.home_kecamatan_ids:
        raise NotFound(_("Pengumuman tidak ditemukan."))
    if not scope.can_in(Capability.SEND_ANNOUNCEMENTS, kecamatan_id=kecamatan_id):
        raise Forbidden(_("Peran Anda tidak berwenang mengelola pengumuman."))


def version_check(announcement: Announcement, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != announcement.version:
        raise Conflict(
            _("Pengumuman ini baru saja diubah orang lain. Muat ulang halaman lalu coba lagi.")
        )


def transition(announcement: Announcement, action: Action) -> Status:
    target = transition_target(announcement.status, action)
    if target is None:
        messages = {
            Action.EDIT: _("Hanya draf yang dapat diubah."),
            Action.SEND: _("Pengumuman ini sudah dikirim atau dibatalkan."),
            Action.CANCEL: _("Pengumuman ini sudah dibatalkan."),
            Action.FINISH: _("Pengumuman ini tidak sedang dikirim."),
        }
        raise InvalidTransition(messages[action])
    return target


def template_render(body: str, params: Sequence[str]) -> str:
    """The template's text with {{n}} replaced by the n-th parameter (as the resident reads it)."""

    def value(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return params[index] if 0 <= index < len(params) else match.group(0)

    return _PLACEHOLDER.sub(value, body)


def placeholder_count(body: str) -> int:
    """The highest {{n}} of a template body."""
    return max((int(n) for n in _PLACEHOLDER.findall(body)), default=0)
