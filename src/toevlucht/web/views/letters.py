"""The authority's letters to the applicant, made from the case page: the notice that his
decision term is extended or that a moratorium holds it, and the invitation to an interview
planned for him. GET: the letter's wording for editing, beside what the law's part of it
will say; POST: the PDF, stored in the case file, then back to the case page's letters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from toevlucht.accounts.models import User
from toevlucht.accounts.roles import AUTHORITY
from toevlucht.law.informing import decision_term_open, interviews_to_come, term_extensions
from toevlucht.letters.applicant import (
    INTERVIEW_INVITATION,
    TERM_NOTICE,
    ApplicantLetter,
    applicant_letter_pdf,
    default_body,
    interview_invitation,
    term_notice,
)
from toevlucht.letters.citing import needs_signatory
from toevlucht.letters.notice import LetterUnavailable
from toevlucht.letters.services import letter_store
from toevlucht.web.access import staff_page
from toevlucht.web.forms.letters import ApplicantLetterForm, InvitationForm
from toevlucht.web.labels import language_label
from toevlucht.web.selectors import CaseFile, case_file

__all__ = ["interview_letter", "letter_offers", "term_letter"]

PURPOSE = "letter to the applicant"


def letter_offers(cf: CaseFile, user: Any) -> dict[str, bool]:
    """Which letters to the applicant the case page offers ``user``: only authority staff,
    and only the ones the law gives something to tell (an extension or moratorium applied
    to a running decision term; an interview still to come)."""
    a = cf.assessment.assessment if cf.assessment is not None else None
    if a is None or getattr(user, "role", "") not in AUTHORITY:
        return {}
    return {
        TERM_NOTICE: decision_term_open(a) and bool(term_extensions(a, "nl")),
        INTERVIEW_INVITATION: bool(interviews_to_come(a, "nl")),
    }


def _make(kind: str, cf: CaseFile, user: User, **kw: Any) -> ApplicantLetter:
    make = term_notice if kind == TERM_NOTICE else interview_invitation
    return make(application=cf.application, assessment=cf.assessment, sender=user, **kw)


def _page(
    request: HttpRequest, pk: int, kind: str, form_class: type[ApplicantLetterForm]
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    cf = case_file(user=user, pk=pk, lang="nl", purpose=PURPOSE)
    try:
        letter = _make(kind, cf, user)
    except LetterUnavailable:
        return render(
            request,
            "web/applicant_letter_unavailable.html",
            {"app": cf.application, "kind": kind},
            status=409,
        )
    language = letter.language
    names: dict[str, Any] = {
        "language": language,
        "language_name": language_label(language) if language else "",
        "ask_signatory": needs_signatory(user),
    }
    if request.method == "POST":
        form = form_class(request.POST, **names)
        if form.is_valid():
            d = form.cleaned_data
            extra = (
                {"time": d["time"].strftime("%H:%M"), "place": d["place"]}
                if kind == INTERVIEW_INVITATION
                else {}
            )
            letter = _make(
                kind,
                cf,
                user,
                sender_reference=d["sender_reference"],
                bodies=form.bodies(),
                signatory=d.get("signatory", ""),
                **extra,
            )
            letter_store(
                actor=user,
                application=cf.application,
                letter=letter,
                pdf=applicant_letter_pdf(letter),
            )
            messages.success(request, _("The letter is stored in the case file."))
            return redirect(reverse("web:case", args=[pk]) + "#letters")
        status = 400
    else:
        initial = {"body_nl": letter.parts[0].body}  # the place: the caseworker's to type
        if language:
            initial["body_other"] = default_body(kind, language, moratorium=letter.moratorium)
        form = form_class(initial=initial, **names)
        status = 200
    context = {
        "app": cf.application,
        "form": form,
        "letter": letter,
        "kind": kind,
        "law": letter.parts[0],
        "fallback_name": language_label(letter.fallback_from) if letter.fallback_from else "",
        "no_languages": not cf.application.applicant.languages,
        "language_name": names["language_name"],
    }
    return render(request, "web/applicant_letter_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_page(AUTHORITY)
def term_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice of the extended decision term or of the moratorium."""
    return _page(request, pk, TERM_NOTICE, ApplicantLetterForm)


@require_http_methods(["GET", "POST"])
@staff_page(AUTHORITY)
def interview_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation to the soonest interview planned for the applicant."""
    return _page(request, pk, INTERVIEW_INVITATION, InvitationForm)
