"""URLs of the staff pages, mounted at ``/``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path, register_converter

from toevlucht.web.views import (
    auth,
    case,
    casework,
    intake,
    letters,
    mandates,
    measures,
    notices,
    queue,
    reception,
)


class DatabaseId:
    """A database id: 1 to 18 digits, so a long number is a 404, not an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(DatabaseId, "web_id")

app_name = "web"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", queue.home, name="home"),
    path("queue.csv", queue.queue_csv, name="queue_csv"),
    path("assign/", queue.assign, name="assign"),
    path("notices/", notices.notices_batch, name="notices"),
    path("search/", queue.search_page, name="search"),
    path("applicants/new/", intake.applicant_new, name="applicant_new"),
    path("applicants/<web_id:pk>/cases/new/", intake.case_new, name="case_new"),
    path("cases/<web_id:pk>/", case.case_detail, name="case"),
    path("cases/<web_id:pk>/events/new/", case.record_event, name="record_event"),
    path(
        "cases/<web_id:pk>/events/<web_id:event_pk>/correct/",
        case.correct_event,
        name="correct_event",
    ),
    path("cases/<web_id:pk>/mandates/new/", casework.mandate_new, name="mandate_new"),
    path(
        "cases/<web_id:pk>/mandates/<web_id:mandate_pk>/end/",
        casework.mandate_revoke_page,
        name="mandate_revoke",
    ),
    path("cases/<web_id:pk>/placements/new/", casework.placement_new, name="placement_new"),
    path("cases/<web_id:pk>/notice-of-default/", case.notice_edit, name="notice_edit"),
    path("cases/<web_id:pk>/notice-of-default.pdf", case.notice_letter, name="notice_letter"),
    path("cases/<web_id:pk>/letters/<web_id:letter_pk>.pdf", case.letter_download, name="letter"),
    path("cases/<web_id:pk>/letters/term/", letters.term_letter, name="term_letter"),
    path("cases/<web_id:pk>/letters/interview/", letters.interview_letter, name="interview_letter"),
    path("mandates/requests/", mandates.mandate_requests, name="mandate_requests"),
    path(
        "mandates/requests/<web_id:pk>/withdraw/",
        mandates.mandate_request_withdraw,
        name="mandate_request_withdraw",
    ),
    path("measures/", measures.measure_list, name="measures"),
    path("measures/new/", measures.measure_new, name="measure_new"),
    path("measures/<slug:measure_id>/", measures.measure_detail, name="measure"),
    path("reception/", reception.reception, name="reception"),
    path("accounts/login/", auth.sign_in, name="login"),
    path("accounts/login/code/", auth.verify, name="verify"),
    path("accounts/two-factor/", auth.two_factor, name="two_factor"),
    path("accounts/logout/", auth.sign_out, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
]
