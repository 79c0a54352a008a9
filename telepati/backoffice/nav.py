"""The back-office menu: which entries an officer sees, decided by capability.

Entries whose URL is not (yet) wired are left out, so an area can land on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.scope import OfficerScope


@dataclass(frozen=True, slots=True)
class NavEntry:
    label: str | Promise
    url_name: str
    capability: Capability | None = None


NAV: tuple[NavEntry, ...] = (
    NavEntry(_("Beranda"), "backoffice:home"),
    NavEntry(_("Laporan masuk"), "backoffice:report_inbox", Capability.VIEW_REPORTS),
    NavEntry(_("Disposisi unit"), "backoffice:unit_inbox", Capability.VIEW_REPORTS),
    NavEntry(_("Percakapan WhatsApp"), "backoffice:conversations", Capability.HANDLE_CONVERSATIONS),
    NavEntry(_("Permohonan dokumen"), "backoffice:document_desk", Capability.MANAGE_DOCUMENTS),
    NavEntry(_("Impor data terbit"), "backoffice:document_import", Capability.MANAGE_DOCUMENTS),
    NavEntry(_("Pengantaran hari ini"), "backoffice:courier_day", Capability.DELIVER_DOCUMENTS),
    NavEntry(_("Loket temu cepat"), "backoffice:counter", Capability.SERVE_COUNTER),
    NavEntry(_("Pengumuman"), "backoffice:announcement_list", Capability.SEND_ANNOUNCEMENTS),
    NavEntry(_("Program prioritas"), "backoffice:programs", Capability.MANAGE_PROGRAMS),
    NavEntry(_("Dasbor pimpinan"), "backoffice:dashboard", Capability.VIEW_DASHBOARD),
    NavEntry(_("Keamanan akun"), "backoffice:account_security"),
    NavEntry(_("Administrasi"), "admin:index", Capability.MANAGE_REFERENCE_DATA),
)


@dataclass(frozen=True, slots=True)
class NavLink:
    label: str
    url: str
    url_name: str


def nav_for(scope: OfficerScope) -> list[NavLink]:
    """The menu entries `scope` may use, in order, with their URLs."""
    links: list[NavLink] = []
    for entry in NAV:
        if entry.capability is not None and not scope.can(entry.capability):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        links.append(NavLink(label=str(entry.label), url=url, url_name=entry.url_name))
    return links
