"""Invitations to the applicant's portal and the stored throttle on guessing their codes.

A caseworker issues an :class:`Invitation`: a one-time code printed on a letter. Only an
HMAC of the code is stored, so a copy of the database does not reveal codes. A code opens
one account (``username``) once, until ``expires_at``; issuing a new one revokes the open
one (a database constraint allows one open invitation per applicant).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Invitation(models.Model):
    applicant = models.ForeignKey(
        "cases.Applicant", on_delete=models.PROTECT, related_name="portal_invitations"
    )
    username = models.CharField(max_length=150, help_text="the account the code opens")
    code_digest = models.CharField(max_length=64, unique=True, help_text="HMAC of the code")
    language = models.CharField(max_length=8, help_text="language of the letter")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_applicant",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("issued_at")),
                name="invitation_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:  # no names: reprs may end up in logs
        return f"invitation {self.pk}"


class CodeAttempt(models.Model):
    """One try at an invitation code, for the throttle. ``client`` is an HMAC of the
    client's address: enough to count tries, without storing the address."""

    client = models.CharField(max_length=64)
    at = models.DateTimeField()
    succeeded = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["client", "at"])]
