from django.urls import path

from telepati.web import views, views_documents

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Population documents (adminduk): catalogue, status check, pre-registration.
    path("layanan/", views_documents.service_list, name="document_services"),
    path("layanan/<slug:code>/", views_documents.service_detail, name="document_service"),
    path("dokumen/cek/", views_documents.status_check, name="document_status"),
    path("dokumen/daftar/", views_documents.preregister, name="document_preregister"),
]
