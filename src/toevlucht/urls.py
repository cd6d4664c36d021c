"""URL configuration: staff pages (web), the REST API, the applicant portal, the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

if getattr(settings, "TOEVLUCHT_REQUIRE_2FA", False):
    admin.site.__class__ = OTPAdminSite  # the admin only for users verified with TOTP

urlpatterns = [
    # one sign-in for staff, with lockout and the second factor: the staff pages'
    path("admin/login/", RedirectView.as_view(url="/accounts/login/?next=/admin/")),
    path("admin/", admin.site.urls),
    path("api/", include("toevlucht.api.urls")),
    path("portal/", include("toevlucht.portal.urls")),
    path("analysis/", include("toevlucht.analysis.urls")),
    path("", include("toevlucht.web.urls")),
]
