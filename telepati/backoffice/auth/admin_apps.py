"""django.contrib.admin with TELEPATI's default admin site (see `admin_site`).

Listed in INSTALLED_APPS instead of "django.contrib.admin": `admin.site`, `@admin.register`
and the customisations in config/urls.py keep working on the replaced site.
"""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class TelepatiAdminConfig(AdminConfig):
    default_site = "telepati.backoffice.auth.admin_site.TelepatiAdminSite"
