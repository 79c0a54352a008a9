"""URL patterns of this back-office area (included into the "backoffice" namespace)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from telepati.backoffice.auth import views, views_security

urlpatterns: list[URLPattern | URLResolver] = [
    path("masuk/", views.login_view, name="login"),
    path("masuk/verifikasi/", views.login_verify, name="login_verify"),
    path("keluar/", views.logout_view, name="logout"),
    path("akun/keamanan/", views_security.account_security, name="account_security"),
]
