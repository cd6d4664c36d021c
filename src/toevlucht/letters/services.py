"""Storing a sent letter in the case file and reading it back, audited. The caller has read
the case through a selector (so the actor may see it)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from toevlucht import clock
from toevlucht.audit.log import record
from toevlucht.cases.models import Application
from toevlucht.errors import NotFound
from toevlucht.letters.applicant import ApplicantLetter
from toevlucht.letters.models import SentLetter
from toevlucht.letters.notice import NoticeOfDefault

__all__ = ["PURPOSE", "letter_get", "letter_store", "letters_of"]

# the audit's purpose of each kind of letter
PURPOSE = {
    SentLetter.Kind.NOTICE_OF_DEFAULT: "notice of default letter",
    SentLetter.Kind.TERM_EXTENSION_NOTICE: "letter to the applicant",
    SentLetter.Kind.INTERVIEW_INVITATION: "letter to the applicant",
}


@transaction.atomic
def letter_store(
    *,
    actor: Any,
    application: Application,
    letter: NoticeOfDefault | ApplicantLetter,
    pdf: bytes,
) -> SentLetter:
    """Store ``letter`` as sent, with its PDF, in the case file (audited)."""
    if isinstance(letter, ApplicantLetter):
        kind = SentLetter.Kind(letter.kind)
        extra: dict[str, Any] = {
            "body": letter.body,
            "language": letter.language,
            "body_translated": letter.body_translated,
            "details": dict(letter.details),
        }
    else:
        kind = SentLetter.Kind.NOTICE_OF_DEFAULT
        extra = {"body": "\n\n".join(letter.paragraphs)}
    row = SentLetter.objects.create(
        application=application,
        kind=kind,
        sent_on=clock.today(),
        sent_by=actor,
        sender_reference=letter.sender_reference,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        **extra,
    )
    record(
        actor=actor,
        action="create",
        purpose=PURPOSE[kind],
        object_type="letter",
        object_ids=[row.pk],
        detail={"application": application.pk, "kind": kind.value, "sha256": row.sha256},
    )
    return row


def letters_of(application: Application) -> list[SentLetter]:
    """The letters of a case already read through a selector (without their PDFs)."""
    return list(
        SentLetter.objects.filter(application=application)
        .defer("pdf")
        .select_related("sent_by")
        .order_by("-sent_at", "-pk")
    )


def letter_get(*, actor: Any, application: Application, pk: int) -> SentLetter:
    row = SentLetter.objects.filter(application=application, pk=pk).first()
    if row is None:
        raise NotFound(gettext("no such letter in this case"))
    record(
        actor=actor,
        action="read",
        purpose=PURPOSE[SentLetter.Kind(row.kind)],
        object_type="letter",
        object_ids=[row.pk],
        detail={"application": application.pk, "kind": row.kind},
    )
    return row
