"""POST /requests: an Open311 service request becomes a report through `report_submit`.

The door only translates: `service_code` → category, `lat`/`long`, `address_string` and
`address_id` (a kelurahan code) → location, `first_name`/`last_name`/`phone`/`email` → the
reporter, `attribute[…]` → answers to the category's questions, `media_url` → a link added to
the description (remote files are never fetched). The report lands in the client's
kecamatan with channel `api`; every rule (contact needed, description length, answers)
is the domain's own, and its refusals come back as Open311 errors naming the argument.

A client retrying the same POST (same client, same arguments) within ten minutes gets the
same report: the submission key is the client plus a digest of the canonical arguments and
the ten-minute slot, and the previous slot is looked up too.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.apikeys.models import ApiClient
from telepati.core.errors import InvalidInput
from telepati.open311 import params as p
from telepati.open311.errors import ErrorItem, Open311Error
from telepati.open311.selectors import kelurahan_by_code, report_recently_submitted
from telepati.reports.models import Category, Channel, Report
from telepati.reports.services.intake import ReportDraft, report_submit

RETRY_WINDOW = timedelta(minutes=10)
MEDIA_URL_MAX_LENGTH = 500

# Where report_submit's field errors came from, in Open311 argument names.
FIELD_PARAMS = {
    "category": "service_code",
    "description": "description",
    "reporter_phone": "phone",
    "reporter_email": "email",
    "email": "email",
    "location": "lat/long",
    "address": "address_string",
    "kelurahan": "address_id",
    "lingkungan": "address_id",
}


def _submission_keys(client: ApiClient, body: QueryDict) -> tuple[str, str]:
    """This slot's key and the previous slot's, for the canonical arguments."""
    canonical = sorted((name, sorted(body.getlist(name))) for name in body if name != "api_key")
    digest = hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()
    slot = int(timezone.now().timestamp() // RETRY_WINDOW.total_seconds())
    return f"api:{client.pk}:{digest}:{slot}", f"api:{client.pk}:{digest}:{slot - 1}"


def _invalid_input_error(exc: InvalidInput) -> Open311Error:
    items: list[ErrorItem] = []
    for field, messages in exc.field_errors.items():
        if field.startswith("answers."):
            name = f"attribute[{field.removeprefix('answers.')}]"
        else:
            name = FIELD_PARAMS.get(field, field)
        items.extend(ErrorItem(400, f"{name}: {message}") for message in messages)
    return Open311Error.from_items(400, items or [ErrorItem(400, str(exc))])


def _media_note(body: QueryDict) -> str:
    url = p.optional(body, "media_url")
    if url is None:
        return ""
    try:
        if len(url) > MEDIA_URL_MAX_LENGTH:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise Open311Error(400, _("media_url: kirim alamat http(s) foto yang sah.")) from None
    return "\n\n" + _("Foto dari pelapor: %(url)s") % {"url": url}


def request_submit(*, client: ApiClient, body: QueryDict) -> Report:
    """Create (or, for a retry, find) the report a client's POST describes."""
    service_code = p.optional(body, "service_code")
    if service_code is None:
        raise Open311Error(400, _("service_code wajib diisi."))
    category = Category.objects.filter(code=service_code, is_active=True).first()
    if category is None:
        raise Open311Error(404, _("service_code tidak dikenal."))

    location = p.coordinates(body)
    address = p.optional(body, "address_string") or ""
    address_id = p.optional(body, "address_id")
    kelurahan = None
    if address_id is not None:
        kelurahan = kelurahan_by_code(kecamatan=client.kecamatan, code=address_id)
        if kelurahan is None:
            raise Open311Error(400, _("address_id: kelurahan tidak dikenal di kecamatan ini."))
    if location is None and not address and kelurahan is None:
        raise Open311Error(
            400, _("Lokasi wajib: kirim lat dan long, address_string, atau address_id.")
        )

    current_key, previous_key = _submission_keys(client, body)
    earlier = report_recently_submitted(
        submission_keys=[current_key, previous_key], since=timezone.now() - RETRY_WINDOW
    )
    if earlier is not None:
        return earlier

    name = " ".join(
        part for part in (p.optional(body, "first_name"), p.optional(body, "last_name")) if part
    )
    draft = ReportDraft(
        category_code=category.code,
        description=(p.optional(body, "description") or "") + _media_note(body),
        channel=Channel.API,
        kecamatan_code=client.kecamatan.code,
        kelurahan_id=kelurahan.pk if kelurahan is not None else None,
        latitude=location[0] if location else None,
        longitude=location[1] if location else None,
        address=address,
        reporter_name=name,
        reporter_phone=p.optional(body, "phone") or "",
        reporter_email=p.optional(body, "email") or "",
        answers=dict(p.attributes(dict(body.lists()))),
        questions_asked=True,
        submission_key=current_key,
        api_client_id=client.pk,
    )
    try:
        return report_submit(draft=draft)
    except InvalidInput as exc:
        raise _invalid_input_error(exc) from None
