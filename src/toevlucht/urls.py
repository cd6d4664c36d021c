"""URL configuration: staff pages (web), the REST API, the applicant portal, the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("toevlucht.api.urls")),
    path("portal/", include("toevlucht.portal.urls")),
    path("analysis/", include("toevlucht.analysis.urls")),
    path("", include("toevlucht.web.urls")),
]
