"""REST API endpoints (/api/v1/). Thin: each view checks the shape of its input with a
serializer, calls a selector or a service, and serializes the result. Authentication,
permissions, throttling and the error shape come from the REST_FRAMEWORK settings
(telepati.api.authentication, permissions, throttling, errors).

Reports are filed through `report_submit`, as from every door, with channel `api`, in the
client's kecamatan and linked to the client. An `Idempotency-Key` header makes a POST safe
to retry: the same client and key return the report already made (200 instead of 201).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from telepati.api import serializers as s
from telepati.api.errors import error_body
from telepati.api.permissions import ApiClientMayWrite
from telepati.api.schema import errors
from telepati.api.selectors import (
    ClientReportFilters,
    kelurahan_list_api,
    report_get_for_client,
    report_page_for_client,
)
from telepati.api.submission import report_create_from_api
from telepati.apikeys.models import ApiClient
from telepati.core.errors import NotFound
from telepati.core.ratelimit import client_ip, rate_limited
from telepati.documents.selectors import application_status_lookup
from telepati.reports.selectors_public import category_list_with_questions

STATUS_IP_RATE_DEFAULT = "10/10m"
STATUS_CODE_RATE_DEFAULT = "5/h"
# Shared with the web page's status check (telepati.web.views_documents), so wrong guesses
# at one code count together whichever door they come through.
STATUS_CODE_GROUP = "web.documents.status.code"


def _client(request: Request) -> ApiClient:
    assert isinstance(request.auth, ApiClient)
    return request.auth


class CategoryListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="categories_list",
        summary=_("Kategori laporan"),
        description=_("Kategori aktif dengan pertanyaan tambahannya, dalam urutan tampilan."),
        responses={200: s.CategorySerializer(many=True), **errors(401, 429)},
    )
    def get(self, request: Request) -> Response:
        categories = category_list_with_questions()
        return Response(s.CategorySerializer(categories, many=True).data)


class KelurahanListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="kelurahan_list",
        summary=_("Kelurahan"),
        description=_("Kelurahan aktif, menurut kecamatan lalu nama."),
        responses={200: s.KelurahanSerializer(many=True), **errors(401, 429)},
    )
    def get(self, request: Request) -> Response:
        return Response(s.KelurahanSerializer(kelurahan_list_api(), many=True).data)


class ReportListView(APIView):
    permission_classes = [ApiClientMayWrite]

    @extend_schema(
        operation_id="reports_list",
        summary=_("Laporan milik klien ini"),
        description=_(
            "Laporan yang dikirim klien ini, terbaru dahulu, per halaman (kursor). "
            "Saring dengan status dan updated_since."
        ),
        parameters=[s.ReportListQuerySerializer],
        responses={200: s.ReportPageSerializer, **errors(400, 401, 429)},
    )
    def get(self, request: Request) -> Response:
        query = s.ReportListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        page = report_page_for_client(
            client=_client(request),
            filters=ClientReportFilters(
                status=data.get("status", ""), updated_since=data.get("updated_since")
            ),
            cursor=data.get("cursor", ""),
            limit=data["limit"],
        )
        body = s.ReportPageSerializer(page, context={"request": request}).data
        body["next_cursor"] = page.next_cursor or None
        return Response(body)

    @extend_schema(
        operation_id="reports_create",
        summary=_("Kirim laporan"),
        description=_(
            "Membuat laporan (kanal API) di kecamatan klien. Dengan kepala Idempotency-Key, "
            "pengiriman ulang dengan kunci yang sama mengembalikan laporan yang sama (200)."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                pattern=r"^[A-Za-z0-9_.:\-]{1,80}$",
                description=_("Kunci unik pengiriman ini (mis. UUID), maksimal 80 karakter."),
            )
        ],
        request={
            "application/json": s.ReportCreateSerializer,
            "multipart/form-data": s.ReportCreateSerializer,
        },
        responses={
            201: s.ReportDetailSerializer,
            200: s.ReportDetailSerializer,
            **errors(400, 401, 403, 409, 415, 429),
        },
    )
    def post(self, request: Request) -> Response:
        payload = s.ReportCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = report_create_from_api(
            client=_client(request),
            data=payload.validated_data,
            idempotency_key=request.headers.get("Idempotency-Key"),
        )
        view = report_get_for_client(
            client=_client(request), tracking_number=result.report.tracking_number
        )
        body = s.ReportDetailSerializer(view, context={"request": request}).data
        return Response(body, status=201 if result.created else 200)


class ReportDetailView(APIView):
    @extend_schema(
        operation_id="reports_retrieve",
        summary=_("Satu laporan"),
        description=_(
            "Laporan publik mana pun (tampilan publik), atau laporan milik klien ini dengan "
            "status lengkapnya (`own`). Identitas pelapor tidak pernah ditampilkan."
        ),
        responses={200: s.ReportDetailSerializer, **errors(401, 404, 429)},
    )
    def get(self, request: Request, tracking_number: str) -> Response:
        view = report_get_for_client(client=_client(request), tracking_number=tracking_number)
        return Response(s.ReportDetailSerializer(view, context={"request": request}).data)


def _setting(name: str, default: str) -> str:
    return str(getattr(settings, name, default))


class DocumentStatusView(APIView):
    @extend_schema(
        operation_id="documents_status",
        summary=_("Status permohonan dokumen"),
        description=_(
            "Cek status dengan kode permohonan dan 4 angka terakhir nomor WhatsApp pemohon. "
            "Dibatasi per alamat dan per kode (percobaan gagal) seperti halaman web."
        ),
        parameters=[s.DocumentStatusQuerySerializer],
        responses={200: s.DocumentStatusSerializer, **errors(400, 401, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        query = s.DocumentStatusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        code = "".join(query.validated_data["code"].split()).upper()
        client = _client(request)
        code_rate = _setting("TELEPATI_STATUS_CHECK_CODE_RATE", STATUS_CODE_RATE_DEFAULT)
        ip_limited = rate_limited(
            group="api.documents.status",
            key=f"{client.pk}:{client_ip(request)}",
            rate=_setting("TELEPATI_STATUS_CHECK_IP_RATE", STATUS_IP_RATE_DEFAULT),
        )
        if ip_limited or rate_limited(
            group=STATUS_CODE_GROUP, key=code, rate=code_rate, increment=False
        ):
            body = error_body(
                "rate_limited",
                _("Terlalu banyak percobaan cek status. Tunggu beberapa saat lalu coba lagi."),
            )
            return Response(body, status=429, headers={"Retry-After": "600"})
        try:
            view = application_status_lookup(
                code=code, phone_last4=query.validated_data["phone_last4"]
            )
        except NotFound:
            rate_limited(group=STATUS_CODE_GROUP, key=code, rate=code_rate)
            raise
        return Response(s.DocumentStatusSerializer(view).data)
