"""The installable app: the web manifest, the service worker at the site root, the offline
page and icons, the head of every public page, and the landing page's buttons."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_describes_an_installable_app(client: Client) -> None:
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "TELEPATI"
    assert manifest["short_name"] == "TELEPATI"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5d3b"
    assert manifest["icons"] == [
        {"src": "/static/web/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/web/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
    ]


@pytest.mark.parametrize("size", [192, 512])
def test_the_icons_have_their_sizes(size: int) -> None:
    path = finders.find(f"web/icons/icon-{size}.png")
    assert isinstance(path, str)
    with open(path, "rb") as source, Image.open(io.BytesIO(source.read())) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client: Client) -> None:
    response = client.get("/sw.js")

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert 'var PAGES = ["/", "/lapor/", "/offline/"];' in body
    assert '"/static/web/portal.js"' in body
    assert 'var CACHE = "telepati-shell-" + VERSION;' in body
    assert 'importScripts("/static/web/portal.js");' in body


def test_the_service_worker_cache_version_follows_the_shell(client: Client) -> None:
    first = client.get("/sw.js").content
    second = client.get("/sw.js").content

    assert first == second
    assert b'var VERSION = "' in first


def test_the_offline_page_invites_an_offline_report(client: Client) -> None:
    response = client.get("/offline/")

    assert response.status_code == 200
    assert "Anda tetap dapat mengisi laporan" in response.content.decode()


def test_every_public_page_links_the_manifest_and_registers_the_worker(client: Client) -> None:
    html = client.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#0b5d3b">' in html
    assert '<script src="/static/web/portal.js" data-sw="/sw.js" defer></script>' in html
    assert (
        '<span data-key="saved">Tersimpan di ponsel, akan dikirim otomatis saat online.</span>'
        in html
    )


def test_the_landing_page_offers_the_portal_services(client: Client) -> None:
    html = client.get("/").content.decode()

    for href, label in [
        ("/lapor/", "Lapor masalah"),
        ("/lacak/", "Lacak laporan"),
        ("/dokumen/cek/", "Cek dokumen"),
        ("/layanan/", "Persyaratan layanan"),
        ("/temu/", "Temu cepat"),
        ("/laporan-publik/", "Laporan publik"),
    ]:
        assert f'<li><a href="{href}">{label}</a></li>' in html
