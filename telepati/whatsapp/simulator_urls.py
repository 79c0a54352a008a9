"""URLs of the WhatsApp simulator (mounted at /simulator/ only when it is enabled)."""

from __future__ import annotations

from django.urls import path, re_path

from telepati.whatsapp import simulator

app_name = "simulator"

urlpatterns = [
    path("", simulator.simulator_page, name="page"),
    path("thread/", simulator.simulator_thread, name="thread"),
    path("send/", simulator.simulator_send, name="send"),
    re_path(r"^media/(?P<media_id>\d{1,20})/$", simulator.media_preview, name="media_preview"),
    # Stand-ins for the Graph API: media lookup and the download URL it hands out.
    re_path(
        r"^graph/media/(?P<media_id>\d{1,20})/$",
        simulator.graph_media_download,
        name="graph_media_download",
    ),
    re_path(
        r"^graph/(?P<version>v\d+\.\d+)/(?P<media_id>\d{1,20})/?$",
        simulator.graph_media_lookup,
        name="graph_media_lookup",
    ),
]
