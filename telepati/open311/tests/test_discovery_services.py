"""Discovery, the service list and service definitions (categories and their questions)."""

from __future__ import annotations

from telepati.open311.tests.conftest import AMPLAS, fetch
from telepati.reports.models import Category


def test_discovery_advertises_the_endpoint_in_both_formats(client, sanitation):
    status, data, root = fetch(client, "discovery")

    assert (status, root) == (200, "discovery")
    changeset = Category.objects.get().updated_at.astimezone().isoformat(timespec="seconds")
    assert data == {
        "changeset": data["changeset"],
        "contact": "Hubungi WA Center Kecamatan untuk bantuan atau melaporkan kesalahan.",
        "key_service": "Kunci API diberikan oleh administrator kecamatan (menu Klien API di "
        "halaman admin).",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": "http://testserver/open311/v2",
                "changeset": data["changeset"],
                "type": "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    assert data["changeset"][:19] == changeset[:19]
    assert data["changeset"].endswith("+07:00")


def test_services_lists_active_categories_with_metadata_when_they_ask_questions(
    client, territory, questions, drainage
):
    Category.objects.create(code="lama", name="Kategori lama", is_active=False)

    status, data, root = fetch(client, "services", **AMPLAS)

    assert (status, root) == (200, "services")
    assert data == [
        {
            "service_code": "banjir-drainase",
            "service_name": "Banjir & drainase",
            "description": "",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "",
        },
        {
            "service_code": "kebersihan",
            "service_name": "Kebersihan & sampah",
            "description": "",
            "metadata": True,
            "type": "realtime",
            "keywords": "",
            "group": "",
        },
    ]


def test_service_definition_lists_every_datatype_in_order(client, questions):
    status, data, root = fetch(client, "service", "kebersihan", **AMPLAS)

    assert (status, root) == (200, "service_definition")
    assert data["service_code"] == "kebersihan"
    assert [(a["order"], a["code"], a["datatype"]) for a in data["attributes"]] == [
        (1, "lama", "number"),
        (2, "mulai", "datetime"),
        (3, "patokan", "string"),
        (4, "catatan", "text"),
        (5, "volume", "singlevaluelist"),
        (6, "jenis", "multivaluelist"),
        (7, "info", "text"),
    ]
    assert data["attributes"][5] == {
        "variable": True,
        "code": "jenis",
        "datatype": "multivaluelist",
        "required": False,
        "datatype_description": None,
        "order": 6,
        "description": "Jenis sampah?",
        "values": [
            {"key": "rumah", "name": "Rumah tangga"},
            {"key": "puing", "name": "Puing"},
            {"key": "daun", "name": "Daun"},
        ],
    }
    assert data["attributes"][0]["required"] is True
    assert data["attributes"][6]["variable"] is False


def test_a_category_without_questions_has_an_empty_definition(client, drainage):
    status, data, _root = fetch(client, "service", "banjir-drainase", **AMPLAS)

    assert (status, data) == (200, {"service_code": "banjir-drainase", "attributes": []})


def test_an_unknown_or_inactive_service_is_404(client, sanitation):
    Category.objects.filter(code="kebersihan").update(is_active=False)

    for code in ("kebersihan", "tidak-ada"):
        status, data, root = fetch(client, "service", code, **AMPLAS)

        assert (status, root) == (404, "errors")
        assert data == [{"code": 404, "description": "service_code tidak dikenal."}]
