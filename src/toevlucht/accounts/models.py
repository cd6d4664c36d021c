"""Organisations, users with one role each, and legal-aid mandates."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models


class Organisation(models.Model):
    class Kind(models.TextChoices):
        AUTHORITY = "authority", "authority (IND)"
        LEGAL_AID = "legal_aid", "legal aid"
        RECEPTION = "reception", "reception (COA)"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        CASEWORKER = "caseworker"
        SUPERVISOR = "supervisor"
        LEGAL_AID = "legal_aid", "legal-aid worker"
        ANALYST = "analyst"
        APPLICANT = "applicant"
        ADMINISTRATOR = "administrator"

    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    applicant = models.OneToOneField(
        "cases.Applicant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
        help_text="for the applicant role: whose case this is",
    )
    language = models.CharField(max_length=5, default="en")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="applicant") | models.Q(applicant__isnull=False),
                name="applicant_role_has_applicant",
            ),
        ]

    @property
    def is_staff_role(self) -> bool:
        return self.role in (self.Role.CASEWORKER, self.Role.SUPERVISOR, self.Role.ADMINISTRATOR)


class MandateQuerySet(models.QuerySet["Mandate"]):
    def active_on(self, day: dt.date) -> MandateQuerySet:
        """Mandates in force on ``day``: started, not expired, not (yet) revoked."""
        return self.filter(
            models.Q(valid_from__lte=day),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
            models.Q(revoked_on__isnull=True) | models.Q(revoked_on__gt=day),
        )


class Mandate(models.Model):
    """A legal-aid organisation's access to one applicant's cases, by the applicant's consent."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mandates"
    )
    applicant = models.ForeignKey(
        "cases.Applicant", on_delete=models.PROTECT, related_name="mandates"
    )
    consent_date = models.DateField()
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    revoked_on = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    objects = MandateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="mandate_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"mandate {self.pk}"
