"""Staff side of the portal: issue an invitation and print its letter in the applicant's
language. Caseworkers and supervisors of the case's authority only (the selectors 404
everyone else)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from toevlucht import clock
from toevlucht.cases.models import Application
from toevlucht.portal import selectors, services
from toevlucht.portal.forms import LetterForm
from toevlucht.portal.languages import language_choices, preferred_language
from toevlucht.portal.models import Invitation
from toevlucht.portal.views.access import staff_page


def _status(inv: Invitation) -> str:
    if inv.used_at:
        return "used"
    if inv.revoked_at:
        return "replaced"
    if inv.expires_at <= clock.now():
        return "expired"
    return "open"


def _letter_context(
    request: HttpRequest, invitation: Invitation, app: Application, code: str = ""
) -> dict[str, Any]:
    lang = invitation.language
    return {
        "invitation": invitation,
        "case": app,
        "applicant": app.applicant,
        "code": code,
        "letter_lang": lang,
        "letter_rtl": lang.split("-")[0] in settings.LANGUAGES_BIDI,
        "portal_url": request.build_absolute_uri(reverse("portal:invitation")),
        "languages": [name for _, name in language_choices()],
    }


@never_cache
@staff_page
def invitation(request: HttpRequest, reference: str) -> HttpResponse:
    app = selectors.case_for_staff(request.user, reference)
    applicant = app.applicant
    account = getattr(applicant, "account", None)
    default = preferred_language(account, applicant.languages) or "en"
    form = LetterForm(request.POST or None, initial={"language": default})
    if request.method == "POST" and form.is_valid():
        issued = services.invitation_issue(
            actor=request.user, application=app, language=form.cleaned_data["language"]
        )
        ctx = _letter_context(request, issued.invitation, app, issued.code_display)
        return render(request, "portal/staff/letter.html", ctx)
    invitations = [(inv, _status(inv)) for inv in selectors.invitations_of(app)]
    return render(
        request,
        "portal/staff/invitation.html",
        {"case": app, "form": form, "invitations": invitations, "account": account},
    )


@never_cache
@staff_page
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter of an earlier invitation, without its code: a code is shown only once."""
    invitation, app = selectors.invitation_for_staff(request.user, pk)
    return render(request, "portal/staff/letter.html", _letter_context(request, invitation, app))
