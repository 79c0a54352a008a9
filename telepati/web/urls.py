from django.urls import path

from telepati.web import (
    views,
    views_appointments,
    views_display,
    views_documents,
    views_portal,
    views_portal_track,
    views_programs,
    views_transparency,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Citizen portal: report a problem, track it; the installable app's files.
    path("lapor/", views_portal.report_form, name="report_form"),
    path("lapor/terkirim/", views_portal.report_done, name="report_done"),
    path("lapor/serupa/", views_portal.duplicates, name="report_duplicates"),
    path("lapor/token/", views_portal.form_token, name="report_form_token"),
    path("lacak/", views_portal_track.track, name="report_track"),
    path("offline/", views_portal.offline, name="offline"),
    path("manifest.webmanifest", views_portal.manifest, name="manifest"),
    path("sw.js", views_portal.service_worker, name="service_worker"),
    # Population documents (adminduk): catalogue, status check, pre-registration.
    path("layanan/", views_documents.service_list, name="document_services"),
    path("layanan/<slug:code>/", views_documents.service_detail, name="document_service"),
    path("dokumen/cek/", views_documents.status_check, name="document_status"),
    path("dokumen/daftar/", views_documents.preregister, name="document_preregister"),
    # Temu cepat: booking a slot at the office, managing it, and the waiting-room display.
    path("temu/", views_appointments.booking_start, name="appointments"),
    path("temu/pesan/", views_appointments.booking_submit, name="appointment_submit"),
    path("temu/kelola/", views_appointments.booking_manage, name="appointment_manage"),
    path("temu/kelola/batal/", views_appointments.booking_cancel_view, name="appointment_cancel"),
    path(
        "temu/kelola/jadwal-ulang/",
        views_appointments.booking_reschedule_view,
        name="appointment_reschedule",
    ),
    path("layar/<slug:service_code>/", views_display.queue_display, name="queue_display"),
    path(
        "layar/<slug:service_code>/isi/",
        views_display.queue_display_fragment,
        name="queue_display_fragment",
    ),
    # Public transparency: public reports (list, map), their timelines, statistics.
    path("laporan-publik/", views_transparency.report_list, name="public_reports"),
    path(
        "laporan-publik/<str:tracking_number>/",
        views_transparency.report_detail,
        name="public_report",
    ),
    path("statistik/", views_transparency.statistics, name="public_statistics"),
    # Priority programs: the UMKM catalogue and the activity timeline with its map.
    path("umkm/", views_programs.umkm_catalogue, name="umkm_catalogue"),
    path("umkm/<int:business_id>/", views_programs.umkm_detail, name="umkm_detail"),
    path("program/", views_programs.activity_timeline, name="program_activities"),
    path("program/<int:activity_id>/", views_programs.activity_detail, name="program_activity"),
]
