from django.urls import path

from telepati.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
]
