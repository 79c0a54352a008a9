"""Whatever a partner sends as Open311 arguments, the door answers without a server error."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from telepati.apikeys.models import ApiClient

NAMES = [
    "jurisdiction_id",
    "api_key",
    "service_code",
    "service_request_id",
    "status",
    "start_date",
    "end_date",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "attribute[lama]",
    "attribute[jenis][]",
    "attribute[volume]",
    "attribute[]",
    "attribute[x][y]",
    "page",
]
PLAUSIBLE = [
    "",
    "medan-amplas",
    "medan-johor",
    "kebersihan",
    "kebersihan,banjir-drainase",
    "open",
    "closed,open",
    "2026-11-01",
    "2026-11-01T00:00:00+07:00",
    "2026-02-30T25:61:00Z",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01",
    "3.5412",
    "-91",
    "1e400",
    "NaN",
    "sNaN",
    "Infinity",
    "rumah",
    "https://foto.example.org/1.jpg",
    "0812-3456-7890",
    "siti@example.org",
    "Sampah menumpuk di depan gang Mawar sudah tiga hari.",
    "L2611-0001",
]
text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)
values = st.one_of(st.sampled_from(PLAUSIBLE), text)
params = st.dictionaries(
    st.one_of(st.sampled_from(NAMES), text.filter(bool)),
    st.one_of(values, st.lists(values, max_size=3)),
    max_size=8,
)
segment = st.one_of(
    st.sampled_from(["kebersihan", "L2611-0001", "x"]),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20),
)
fmt = st.sampled_from(["json", "xml", "html", ""])


@st.composite
def calls(draw):
    resource = draw(
        st.sampled_from(
            ["discovery", "services", "service", "requests", "request", "token", "updates"]
        )
    )
    suffix = f".{draw(fmt)}"
    single = {"service": "services", "request": "requests", "token": "tokens"}
    if resource in single:
        path = f"{single[resource]}/{quote(draw(segment), safe='')}{suffix}"
    else:
        path = {"updates": "servicerequestupdates"}.get(resource, resource) + suffix
    method = draw(st.sampled_from(["get", "post"]))
    return method, f"/open311/v2/{path}", draw(params)


@pytest.mark.slow
@override_settings(TELEPATI_OPEN311_ANONYMOUS_RATE="100000/m")
def test_no_arguments_make_a_server_error(
    client, api_key, api_client_row, questions, public_report
):
    ApiClient.objects.filter(pk=api_client_row.pk).update(rate="100000/m")

    @settings(
        max_examples=300,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(call=calls(), with_key=st.booleans())
    def check(call, with_key):
        method, path, data = call
        if with_key:
            data = {**data, "api_key": api_key}
        response = getattr(client, method)(path, data)
        assert response.status_code < 500, (method, path, data, response.content[:300])

    check()
