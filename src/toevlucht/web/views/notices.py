"""Legal aid's notices of default for every late client at once: the clients whose decision
term expired (the projection's ``overdue``), each letter made with its default text and
stored in its case file."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from toevlucht.accounts.models import User
from toevlucht.cases.selectors import application_list_for_user, audit_list_read
from toevlucht.letters.notice import LetterUnavailable, notice_of_default, notice_of_default_pdf
from toevlucht.letters.services import letter_store
from toevlucht.web.access import staff_page
from toevlucht.web.selectors import case_file

__all__ = ["notices_batch"]

BATCH_MAX = 200


@require_http_methods(["GET", "POST"])
@staff_page({User.Role.LEGAL_AID})
def notices_batch(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    late = list(
        application_list_for_user(
            user=user,
            purpose="notices of default",
            filters=Q(status__open=True, status__overdue=True),
        ).order_by("status__queue_band", "status__queue_date", "status__application_id")[:BATCH_MAX]
    )
    audit_list_read(user=user, applications=late, purpose="notices of default")
    made = []
    if request.method == "POST":
        for app in late:
            cf = case_file(user=user, pk=app.pk, lang="nl", purpose="notice of default letter")
            try:
                letter = notice_of_default(
                    application=cf.application, assessment=cf.assessment, sender=user
                )
            except LetterUnavailable:
                continue  # the term passed, but the law opens no notice (e.g. it was decided)
            made.append(
                letter_store(
                    actor=user,
                    application=cf.application,
                    letter=letter,
                    pdf=notice_of_default_pdf(letter),
                )
            )
        messages.success(
            request, _("%(n)d notice(s) of default stored in the case files.") % {"n": len(made)}
        )
    return render(request, "web/notices.html", {"late": late, "made": made, "max": BATCH_MAX})
