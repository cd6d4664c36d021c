"""Legal aid's notices of default for every late client at once: the clients whose decision
term expired (the projection's ``overdue``), each letter made with its default text and
stored in its case file.

The page lists, per client, the notices of default already in his case file (their dates).
A client who already has one of today (the case clock's day) is skipped unless the user
ticks him: making them again adds a letter, never silently. A user whose account has no
name types the signatory's name (``forms.letters.add_signatory``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from toevlucht import clock
from toevlucht.accounts.models import User
from toevlucht.cases.models import Application
from toevlucht.cases.selectors import application_list_for_user, audit_list_read
from toevlucht.letters.citing import needs_signatory
from toevlucht.letters.models import SentLetter
from toevlucht.letters.notice import LetterUnavailable, notice_of_default, notice_of_default_pdf
from toevlucht.letters.services import letter_store
from toevlucht.web.access import staff_page
from toevlucht.web.forms.letters import add_signatory
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
    today = clock.today()
    form = forms.Form(request.POST if request.method == "POST" else None)
    add_signatory(form, needs_signatory(user))
    made: list[SentLetter] = []
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        sent = _sent(late)
        again = set(request.POST.getlist("again"))
        skipped = 0
        for app in late:
            if today in sent[app.pk] and str(app.pk) not in again:
                skipped += 1  # already has today's notice and was not ticked
                continue
            cf = case_file(user=user, pk=app.pk, lang="nl", purpose="notice of default letter")
            try:
                letter = notice_of_default(
                    application=cf.application,
                    assessment=cf.assessment,
                    sender=user,
                    signatory=form.cleaned_data.get("signatory", ""),
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
        if skipped:
            messages.info(
                request,
                _(
                    "%(n)d client(s) skipped: a notice of default of today is already in "
                    "their case file (tick them to make another)."
                )
                % {"n": skipped},
            )
    sent = _sent(late)
    rows = [{"app": app, "sent": sent[app.pk], "today": today in sent[app.pk]} for app in late]
    context = {
        "late": late,
        "rows": rows,
        "made": made,
        "max": BATCH_MAX,
        "form": form,
        "to_make": sum(1 for r in rows if not r["today"]),
        "today": today,
    }
    return render(request, "web/notices.html", context, status=status)


def _sent(late: list[Application]) -> defaultdict[int, list[dt.date]]:
    """The dates of the notices of default in the case files of ``late`` (read through the
    selector above), newest first, by case."""
    out: defaultdict[int, list[dt.date]] = defaultdict(list)
    rows = (
        SentLetter.objects.filter(application__in=late, kind=SentLetter.Kind.NOTICE_OF_DEFAULT)
        .order_by("-sent_on", "-pk")
        .values_list("application_id", "sent_on")
    )
    for app_id, day in rows:
        out[app_id].append(day)
    return out
