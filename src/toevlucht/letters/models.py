"""The letters sent, kept in the case file: append-only (no update, no delete through the
ORM), so a letter can be downloaded again exactly as it was sent. Only the erasure of a
person's data past its retention date removes them (``letters.receivers``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SentLetterQuerySet(models.QuerySet["SentLetter"]):
    def update(self, **kwargs: object) -> int:
        raise TypeError("sent letters are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("sent letters are append-only")


class SentLetter(models.Model):
    """A letter as it was sent: its text and its PDF. Personal data: reads are audited.

    The notice of default is legal aid's, in Dutch. The term-extension notice and the
    interview invitation are the authority's to the applicant, in Dutch and in
    ``language`` (``body_translated``); ``details`` keeps what the sender typed besides
    the text (an interview's time and place)."""

    class Kind(models.TextChoices):
        NOTICE_OF_DEFAULT = "notice_of_default", "notice of default"
        TERM_EXTENSION_NOTICE = "term_extension_notice", "notice of the decision term"
        INTERVIEW_INVITATION = "interview_invitation", "interview invitation"

    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    sent_on = models.DateField(help_text="the letter's date (the case clock)")
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    sender_reference = models.CharField(max_length=60, blank=True)
    body = models.TextField(help_text="the text the sender edited (Dutch)")
    language = models.CharField(
        max_length=5, blank=True, default="", help_text="the second language, if any"
    )
    body_translated = models.TextField(blank=True, default="", help_text="the text in it")
    details = models.JSONField(default=dict, blank=True)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    objects = SentLetterQuerySet.as_manager()

    class Meta:
        ordering = ["application_id", "sent_at", "pk"]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("sent letters are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise TypeError("sent letters are append-only")

    def __str__(self) -> str:
        return f"{self.kind} {self.sent_on}"
