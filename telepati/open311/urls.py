"""Open311 GeoReport v2 at /open311/v2/: every resource with a .xml or .json suffix."""

from __future__ import annotations

from django.urls import re_path

from telepati.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>[^./]+)$"

urlpatterns = [
    re_path(rf"^discovery{FMT}", views.discovery, name="discovery"),
    re_path(rf"^services{FMT}", views.service_list, name="services"),
    re_path(rf"^services/(?P<service_code>[^/]+?){FMT}", views.service_definition, name="service"),
    re_path(rf"^requests{FMT}", views.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+?){FMT}", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+?){FMT}", views.token_detail, name="token"),
    re_path(rf"^servicerequestupdates{FMT}", views.request_updates, name="updates"),
]
