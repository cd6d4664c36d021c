"""The case page and its writes: record an event (the form built from the law's field
schema), correct or retract one, and the notice-of-default letter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from toevlucht.accounts.models import User
from toevlucht.accounts.roles import AUTHORITY
from toevlucht.cases.permissions import (
    can_correct_event,
    can_record_event,
    check_correct_event,
    recordable_kinds,
)
from toevlucht.cases.selectors import application_get_for_user, mandates_visible_to
from toevlucht.errors import EventRejected
from toevlucht.law import EventKind
from toevlucht.letters.citing import needs_signatory
from toevlucht.letters.notice import (
    LetterUnavailable,
    notice_of_default,
    notice_of_default_pdf,
    notice_of_default_text,
)
from toevlucht.letters.services import letter_get, letter_store, letters_of
from toevlucht.web.access import CASE_READERS, can_write_notice, is_htmx, staff_page
from toevlucht.web.forms.events import CorrectionForm, EventForm, KindForm, apply_rejection
from toevlucht.web.forms.letters import add_signatory
from toevlucht.web.labels import event_kind_label
from toevlucht.web.presenters import changes_from_session
from toevlucht.web.selectors import CaseFile, case_file, event_of_case
from toevlucht.web.services import event_correct_and_compare, event_record_and_compare
from toevlucht.web.views.letters import letter_offers

__all__ = [
    "case_detail",
    "correct_event",
    "letter_download",
    "notice_edit",
    "notice_letter",
    "record_event",
]

CHANGES = "web_changes_{pk}"
# the stored letters' file names (Dutch, as the letters are)
LETTER_FILE_NAMES = {
    "notice_of_default": "ingebrekestelling",
    "term_extension_notice": "beslistermijn",
    "interview_invitation": "uitnodiging-gehoor",
}


def _lang() -> str:
    return (get_language() or "en")[:2]


def _remedy_forms(cf: CaseFile, user: Any) -> dict[str, EventForm]:
    """Forms of the remedies panel: record the receipt of the notice of default and the
    appeal against the failure to decide, when the assessment opens them."""
    forms: dict[str, EventForm] = {}
    remedy = cf.remedy
    notice = remedy.get("notice_of_default")
    if (
        notice
        and notice.available
        and not notice.used_on
        and can_record_event(user, EventKind.NOTICE_OF_DEFAULT_RECEIVED)
    ):
        forms["notice"] = EventForm(kind=EventKind.NOTICE_OF_DEFAULT_RECEIVED, prefix="notice")
    appeal = remedy.get("appeal_failure_to_decide")
    if (
        appeal
        and appeal.available
        and not appeal.used_on
        and can_record_event(user, EventKind.APPEAL_LODGED)
    ):
        forms["appeal"] = EventForm(
            kind=EventKind.APPEAL_LODGED,
            prefix="appeal",
            initial={"against": "failure_to_decide", "level": "court"},
        )
    return forms


def _render_case(
    request: HttpRequest,
    cf: CaseFile,
    *,
    kind_form: KindForm | None = None,
    event_form: EventForm | None = None,
    remedy_forms: dict[str, EventForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    kinds = recordable_kinds(user)
    changes = changes_from_session(request.session.pop(CHANGES.format(pk=cf.application.pk), None))
    forms = _remedy_forms(cf, user)
    forms.update(remedy_forms or {})
    context = {
        "cf": cf,
        "app": cf.application,
        "a": cf.assessment,
        "kind_form": kind_form or (KindForm(kinds=kinds) if kinds else None),
        "event_form": event_form,
        "remedy_forms": forms,
        "changes": changes,
        "correctable_kinds": {k.value for k in EventKind if can_correct_event(user, k)},
        "can_write_notice": can_write_notice(user),
        "authority_user": getattr(user, "role", "") in AUTHORITY,
        "letters": letters_of(cf.application),
        "letter_offers": letter_offers(cf, user),
        "mandates": (
            list(
                mandates_visible_to(user)
                .filter(applicant_id=cf.application.applicant_id)
                .order_by("-valid_from", "-pk")
            )
            if getattr(user, "role", "") in AUTHORITY
            else []
        ),
    }
    return render(request, "web/case.html", context, status=status)


@staff_page(CASE_READERS)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, case_file(user=request.user, pk=pk, lang=_lang()))


@staff_page(CASE_READERS)
@require_http_methods(["GET", "POST"])
def record_event(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ``?kind=``: the fields of that kind (for htmx, only the fields; otherwise the case
    page with the form). POST: record it; field errors come back on the form."""
    user = request.user
    assert isinstance(user, User)
    kinds = recordable_kinds(user)
    source = request.POST if request.method == "POST" else request.GET
    prefix = source.get("form_prefix", "") or None
    if prefix not in (None, "notice", "appeal"):
        prefix = None
    kind_form = KindForm({"kind": source.get("kind", "")}, kinds=kinds)
    if not kind_form.is_valid():
        if request.method == "GET" and is_htmx(request):
            return HttpResponse("")
        cf = case_file(user=user, pk=pk, lang=_lang())
        return _render_case(request, cf, kind_form=kind_form, status=400)
    kind = EventKind(kind_form.cleaned_data["kind"])
    if request.method == "GET":
        form = EventForm(kind=kind)
        if is_htmx(request):
            app = application_get_for_user(user=user, pk=pk)  # visible, audited; not assessed
            return render(request, "web/_event_fields.html", {"event_form": form, "app": app})
        cf = case_file(user=user, pk=pk, lang=_lang())
        return _render_case(request, cf, kind_form=kind_form, event_form=form)

    form = EventForm(request.POST, kind=kind, prefix=prefix)
    # the write assesses the case once (in the service); the page is assessed only to show
    # the form again with its errors
    app = application_get_for_user(user=user, pk=pk, purpose="record event")
    if form.is_valid():
        try:
            _event, changes = event_record_and_compare(
                actor=user,
                application=app,
                kind=kind,
                effective_date=form.cleaned_data["effective_date"],
                data=form.event_data(),
                note=form.cleaned_data.get("note", ""),
            )
        except EventRejected as exc:
            apply_rejection(form, exc.field, exc.message)
        else:
            request.session[CHANGES.format(pk=pk)] = changes
            messages.success(request, _("Recorded: %(event)s.") % {"event": event_kind_label(kind)})
            return redirect(reverse("web:case", args=[pk]) + "#changes")
    cf = case_file(user=user, pk=pk, lang=_lang(), purpose="record event")
    if prefix:
        return _render_case(request, cf, remedy_forms={prefix: form}, status=400)
    return _render_case(request, cf, kind_form=kind_form, event_form=form, status=400)


@staff_page(CASE_READERS)
@require_http_methods(["GET", "POST"])
def correct_event(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    app, event = event_of_case(user=user, pk=pk, event_pk=event_pk)
    if event.kind == EventKind.RETRACTION:
        raise Http404("a retraction is not corrected")
    check_correct_event(user, app, event.kind)  # the form is only for who may send it
    form = CorrectionForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _correction, changes = event_correct_and_compare(
                actor=user,
                event=event,
                retract=d["retract"],
                effective_date=d.get("effective_date"),
                data=form.event_data(),
                note=d.get("note", ""),
            )
        except EventRejected as exc:
            apply_rejection(form, exc.field, exc.message)
        else:
            request.session[CHANGES.format(pk=pk)] = changes
            done = _("Retracted") if d["retract"] else _("Corrected")
            messages.success(request, f"{done}: {event_kind_label(EventKind(event.kind))}.")
            return redirect(reverse("web:case", args=[pk]) + "#changes")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "web/correct.html", {"app": app, "event": event, "form": form}, status=status
    )


class NoticeForm(forms.Form):
    """``ask_signatory``: the user has no name, so the form asks whose name signs the
    letter (``forms.letters.add_signatory``)."""

    sender_reference = forms.CharField(label=_lazy("Your reference"), max_length=60, required=False)
    body = forms.CharField(
        label=_lazy("Text of the letter (in Dutch; paragraphs separated by an empty line)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    field_order = ["signatory", "sender_reference", "body"]

    def __init__(self, *args: Any, ask_signatory: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        add_signatory(self, ask_signatory)
        self.order_fields(self.field_order)


def _notice(request: HttpRequest, pk: int) -> tuple[CaseFile, Any]:
    user = request.user
    assert isinstance(user, User)
    cf = case_file(user=user, pk=pk, lang="nl", purpose="notice of default letter")
    try:
        letter = notice_of_default(
            application=cf.application, assessment=cf.assessment, sender=user
        )
    except LetterUnavailable:
        return cf, None
    return cf, letter


@staff_page({User.Role.LEGAL_AID})
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice of default's text for editing before the PDF is made (in Dutch, whatever
    the page's language). Only when the assessment opens it (the decision term passed)."""
    cf, letter = _notice(request, pk)
    if letter is None:
        return render(request, "web/notice_unavailable.html", {"app": cf.application}, status=409)
    form = NoticeForm(
        initial={"body": notice_of_default_text(letter)},
        ask_signatory=needs_signatory(request.user),
    )
    return render(
        request, "web/notice_edit.html", {"app": cf.application, "form": form, "letter": letter}
    )


@require_http_methods(["GET", "POST"])
@staff_page({User.Role.LEGAL_AID})
def notice_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice of default as a PDF, opened in the browser: GET with the default text,
    POST with the text edited on :func:`notice_edit`."""
    cf, letter = _notice(request, pk)
    if letter is None:
        return render(request, "web/notice_unavailable.html", {"app": cf.application}, status=409)
    if request.method == "POST":
        form = NoticeForm(request.POST, ask_signatory=needs_signatory(request.user))
        if not form.is_valid():
            return render(
                request,
                "web/notice_edit.html",
                {"app": cf.application, "form": form, "letter": letter},
                status=400,
            )
        user = request.user
        assert isinstance(user, User)
        letter = notice_of_default(
            application=cf.application,
            assessment=cf.assessment,
            sender=user,
            sender_reference=form.cleaned_data["sender_reference"],
            body=form.cleaned_data["body"],
            signatory=form.cleaned_data.get("signatory", ""),
        )
        row = letter_store(
            actor=user,
            application=cf.application,
            letter=letter,
            pdf=notice_of_default_pdf(letter),
        )
        messages.success(request, _("The letter is stored in the case file."))
        return redirect(reverse("web:case", args=[pk]) + f"#letter-{row.pk}")
    if not letter.sender_name:  # no name to sign the standard letter with: ask for one
        return redirect("web:notice_edit", pk=pk)
    pdf = notice_of_default_pdf(letter)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="ingebrekestelling-{cf.application.reference}.pdf"'
    )
    return response


@staff_page(CASE_READERS)
def letter_download(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    """A letter stored in the case file, exactly as it was sent (audited)."""
    app = application_get_for_user(user=request.user, pk=pk, purpose="letter in the case file")
    row = letter_get(actor=request.user, application=app, pk=letter_pk)
    response = HttpResponse(bytes(row.pdf), content_type="application/pdf")
    name = LETTER_FILE_NAMES.get(row.kind, "brief")
    response["Content-Disposition"] = (
        f'inline; filename="{name}-{app.reference}-{row.sent_on.isoformat()}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
