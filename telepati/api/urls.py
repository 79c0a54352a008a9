"""The REST API at /api/v1/: reference data, reports, document status, schema and docs."""

from __future__ import annotations

from django.urls import path

from telepati.api import views, views_docs

app_name = "api"

urlpatterns = [
    path("categories/", views.CategoryListView.as_view(), name="categories"),
    path("kelurahan/", views.KelurahanListView.as_view(), name="kelurahan"),
    path("reports/", views.ReportListView.as_view(), name="reports"),
    path("reports/<str:tracking_number>/", views.ReportDetailView.as_view(), name="report"),
    path("documents/status/", views.DocumentStatusView.as_view(), name="document_status"),
    path("schema/", views_docs.SchemaView.as_view(), name="schema"),
    path("docs/", views_docs.docs, name="docs"),
]
