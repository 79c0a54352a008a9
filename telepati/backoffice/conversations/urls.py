"""URL patterns of the WhatsApp conversations (/kantor/percakapan/, "backoffice" namespace)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from telepati.backoffice.conversations import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.conversations, name="conversations"),
    path("<int:conversation_id>/", views.conversation_detail, name="conversation_detail"),
    path(
        "<int:conversation_id>/utas/",
        views.conversation_thread_fragment,
        name="conversation_thread",
    ),
    path("<int:conversation_id>/ambil/", views.conversation_take_view, name="conversation_take"),
    path("<int:conversation_id>/balas/", views.conversation_reply_view, name="conversation_reply"),
    path(
        "<int:conversation_id>/lepas/",
        views.conversation_release_view,
        name="conversation_release",
    ),
]
