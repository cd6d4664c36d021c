"""Reminders of deadlines that come near: to the case's caseworker and to the legal-aid
workers whose organisation holds a mandate in force for the applicant.

A deadline of the stored projection (``CaseStatus.deadlines``) that is running and falls
within ``TOEVLUCHT_REMINDER_WORKING_DAYS`` working days of today (the law's calendar,
``law.legal_calendar``) gets one reminder per recipient. **Exactly once**: the row
``Reminder(application, deadline_kind, due, recipient)`` — unique in the database — is
inserted in the transaction that sends the e-mail; a second worker, or the same one restarted
after being killed, finds the row (or the constraint refuses it) and sends nothing. A worker
killed inside that transaction rolls the row back and the reminder is sent on the next run.
What remains is the window between the mail server accepting a message and the commit (a
crash there sends it twice): no database can close it for SMTP.

A reminder says no more than needed: the case reference, the deadline and its date, and a
link to the case's page (``TOEVLUCHT_BASE_URL``), in the recipient's language
(``User.language``) with the date in that language's form.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from toevlucht import clock
from toevlucht.accounts.models import Mandate, User
from toevlucht.audit.log import record
from toevlucht.cases.models import CaseStatus
from toevlucht.cases.projection import projected_deadlines
from toevlucht.law import LANGUAGES, CalendarRangeError, legal_calendar, render_key
from toevlucht.law.text import format_date
from toevlucht.reminders.models import Reminder

__all__ = ["Due", "RemindersReport", "case_url", "due_reminders", "reminders_send"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One reminder to send."""

    application_id: int
    reference: str
    deadline_kind: str
    due: dt.date
    recipient_id: int
    working_days_left: int


@dataclass
class RemindersReport:
    as_of: dt.date
    due: int = 0
    sent: int = 0
    already_sent: int = 0
    no_email: int = 0
    recipients: set[int] = field(default_factory=set)


def _within(today: dt.date, due: dt.date, lead: int) -> int | None:
    """Working days left until ``due`` if a reminder is due today, else None."""
    if due < today:
        return None
    try:
        left = legal_calendar().working_days_after(today, due)
    except CalendarRangeError:
        return None
    return left if left <= lead else None


def _legal_aid_by_applicant(today: dt.date) -> dict[int, list[User]]:
    """Active legal-aid users per applicant, through mandates in force today."""
    users_by_org: dict[int, list[User]] = defaultdict(list)
    for u in User.objects.filter(role=User.Role.LEGAL_AID, is_active=True).exclude(
        organisation=None
    ):
        assert u.organisation_id is not None
        users_by_org[u.organisation_id].append(u)
    out: dict[int, list[User]] = defaultdict(list)
    for applicant_id, org_id in Mandate.objects.active_on(today).values_list(
        "applicant_id", "organisation_id"
    ):
        out[applicant_id].extend(users_by_org.get(org_id, []))
    return out


def due_reminders(
    today: dt.date | None = None, lead: int | None = None
) -> tuple[list[Due], dict[int, User], int]:
    """Every reminder due on ``today`` (sent or not), the recipients by id, and how many
    were skipped because the recipient has no e-mail address."""
    today = today or clock.today()
    lead = settings.TOEVLUCHT_REMINDER_WORKING_DAYS if lead is None else lead
    legal_aid = _legal_aid_by_applicant(today)
    caseworkers = {
        u.pk: u
        for u in User.objects.filter(is_active=True, assigned_applications__isnull=False).distinct()
    }
    users: dict[int, User] = {}
    out: list[Due] = []
    no_email = 0
    rows = (
        CaseStatus.objects.filter(open=True)
        .order_by("pk")
        .values_list(
            "application_id",
            "application__reference",
            "application__caseworker_id",
            "application__applicant_id",
            "deadlines",
        )
    )
    for app_id, reference, caseworker_id, applicant_id, deadlines in rows.iterator(2000):
        for d in projected_deadlines(deadlines):
            if not d.running:
                continue
            due = d.due
            left = _within(today, due, lead)
            if left is None:
                continue
            recipients = list(legal_aid.get(applicant_id, []))
            if caseworker_id in caseworkers:
                recipients.insert(0, caseworkers[caseworker_id])
            for u in recipients:
                if not u.email:
                    no_email += 1
                    continue
                users[u.pk] = u
                out.append(Due(app_id, reference, d.kind.value, due, u.pk, left))
    return out, users, no_email


def case_url(application_id: int) -> str:
    """The case's page on the staff site (``TOEVLUCHT_BASE_URL``, the site's public address)."""
    return f"{settings.TOEVLUCHT_BASE_URL.rstrip('/')}/cases/{application_id}/"


def _message(item: Due, user: User) -> EmailMessage:
    """The reminder in the recipient's language (``User.language``; English for a language
    Toevlucht has no text in), the date in that language's long form, with a link to the case."""
    lang = user.language if user.language in LANGUAGES else "en"
    with translation.override(lang):
        label = render_key(f"deadline.{item.deadline_kind}", lang)
        day = format_date(item.due, lang)
        params = {
            "reference": item.reference,
            "deadline": label,
            "day": day,
            "n": item.working_days_left,
            "url": case_url(item.application_id),
        }
        subject = _("Toevlucht reminder: %(reference)s — %(deadline)s due %(day)s") % params
        body = "\n\n".join(
            [
                ngettext(
                    "Case %(reference)s: %(deadline)s — due %(day)s "
                    "(%(n)d working day from today).",
                    "Case %(reference)s: %(deadline)s — due %(day)s "
                    "(%(n)d working days from today).",
                    item.working_days_left,
                )
                % params,
                _("Open the case to see the deadline and its explanation: %(url)s") % params,
                _("(Toevlucht computes deadlines from the law; it decides nothing.)"),
            ]
        )
    return EmailMessage(
        subject=subject,
        body=body + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def _send_one(item: Due, user: User, today: dt.date) -> bool:
    """Insert the marker and send, in one transaction. False if it was sent before."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                application_id=item.application_id,
                deadline_kind=item.deadline_kind,
                due=item.due,
                recipient_id=item.recipient_id,
                sent_on=today,
            )
            record(
                actor=None,
                action="remind",
                purpose="deadline reminder",
                object_type="application",
                object_ids=[item.application_id],
                detail={"deadline": item.deadline_kind, "due": item.due.isoformat(), "to": user.pk},
            )
            mailers.default.send_messages([_message(item, user)])
    except IntegrityError:
        return False  # another worker sent it first
    return True


def _unsent(items: list[Due]) -> Iterator[Due]:
    sent = set(
        Reminder.objects.filter(application_id__in={i.application_id for i in items}).values_list(
            "application_id", "deadline_kind", "due", "recipient_id"
        )
    )
    for i in items:
        if (i.application_id, i.deadline_kind, i.due, i.recipient_id) not in sent:
            yield i


def reminders_send(today: dt.date | None = None, lead: int | None = None) -> RemindersReport:
    """Send every reminder due today that was not sent before."""
    today = today or clock.today()
    items, users, no_email = due_reminders(today, lead)
    report = RemindersReport(as_of=today, due=len(items), no_email=no_email)
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        todo = list(_unsent(chunk))
        report.already_sent += len(chunk) - len(todo)
        for item in todo:
            if _send_one(item, users[item.recipient_id], today):
                report.sent += 1
                report.recipients.add(item.recipient_id)
            else:
                report.already_sent += 1
    log.info(
        "reminders on %s: %d due, %d sent, %d sent before, %d without e-mail address",
        today,
        report.due,
        report.sent,
        report.already_sent,
        report.no_email,
    )
    return report
