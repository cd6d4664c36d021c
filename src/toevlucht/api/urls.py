"""URLs of the REST API, mounted at ``/api/``: the schema at ``schema/``, Swagger UI at
``docs/``."""

from django.urls import URLPattern, URLResolver, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView

from toevlucht.api import views


class IdConverter:
    """A database id: 1 to 18 digits, so no id overflows a 64-bit column."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("cases/", views.CaseCreate.as_view(), name="case-list"),
    path("applicants/", views.ApplicantCreate.as_view(), name="applicant-list"),
    path(
        "applicants/candidates/", views.ApplicantCandidates.as_view(), name="applicant-candidates"
    ),
    path("organisations/", views.OrganisationList.as_view(), name="organisation-list"),
    path("mandates/", views.MandateList.as_view(), name="mandate-list"),
    path("mandates/requests/", views.MandateRequestCreate.as_view(), name="mandate-request"),
    path("mandates/<id:pk>/revoke/", views.MandateRevoke.as_view(), name="mandate-revoke"),
    path("placements/", views.PlacementCreate.as_view(), name="placement-create"),
    path("cases/<id:pk>/", views.CaseDetail.as_view(), name="case-detail"),
    path("cases/<id:pk>/events/", views.EventList.as_view(), name="event-list"),
    path(
        "cases/<id:pk>/events/<id:event_pk>/corrections/",
        views.EventCorrection.as_view(),
        name="event-correction",
    ),
    path("cases/<id:pk>/deadlines/", views.Deadlines.as_view(), name="deadlines"),
    path("cases/<id:pk>/placements/", views.PlacementList.as_view(), name="placement-list"),
    path("centres/", views.CentreList.as_view(), name="centre-list"),
    path("measures/", views.MeasureList.as_view(), name="measure-list"),
    path("measures/preview/", views.MeasurePreview.as_view(), name="measure-preview"),
    path("measures/<slug:measure_id>/", views.MeasureDetail.as_view(), name="measure-detail"),
    # Anything else under /api/ is a 404 problem document, not Django's HTML page.
    re_path(r"^[\s\S]*$", views.NotFoundView.as_view(), name="not-found"),
]
