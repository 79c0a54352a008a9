"""URL patterns of the priority programs (in the "backoffice" namespace, under
/kantor/program/). Fixed paths come before `<id>/`."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from telepati.backoffice.programs import views_activities, views_businesses, views_trainings

b, t, a = views_businesses, views_trainings, views_activities

urlpatterns: list[URLPattern | URLResolver] = [
    path("", b.business_list, name="programs"),
    path("umkm/baru/", b.business_register_view, name="program_business_register"),
    path("umkm/<int:business_id>/", b.business_detail, name="program_business"),
    path("umkm/<int:business_id>/ubah/", b.business_edit, name="program_business_edit"),
    path("umkm/<int:business_id>/status/", b.business_guidance, name="program_business_guidance"),
    path("umkm/<int:business_id>/katalog/", b.business_publish, name="program_business_publish"),
    path("umkm/<int:business_id>/produk/", b.business_product_add, name="program_business_product"),
    path(
        "umkm/<int:business_id>/produk/<int:product_id>/foto/",
        b.business_product_photo,
        name="program_business_product_photo",
    ),
    path("pelatihan/", t.training_list, name="program_trainings"),
    path("pelatihan/baru/", t.training_record_view, name="program_training_record"),
    path("pelatihan/<int:training_id>/", t.training_detail, name="program_training"),
    path(
        "pelatihan/<int:training_id>/kehadiran/",
        t.training_attendance,
        name="program_training_attendance",
    ),
    path("kegiatan/", a.activity_list, name="program_activities"),
    path("kegiatan/baru/", a.activity_record_view, name="program_activity_record"),
    path("kegiatan/<int:activity_id>/", a.activity_detail, name="program_activity"),
    path(
        "kegiatan/<int:activity_id>/progres/", a.activity_progress, name="program_activity_progress"
    ),
    path("kegiatan/<int:activity_id>/foto/", a.activity_photo, name="program_activity_photo"),
    path("kegiatan/<int:activity_id>/laporan/", a.activity_link, name="program_activity_link"),
    path(
        "kegiatan/<int:activity_id>/laporan/lepas/",
        a.activity_unlink,
        name="program_activity_unlink",
    ),
]
