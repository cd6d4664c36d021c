"""Organisations, users with one role each, and legal-aid mandates."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        AUTHORITY = "authority", "authority (IND)"
        LEGAL_AID = "legal_aid", "legal aid"
        RECEPTION = "reception", "reception (COA)"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    postal_address = models.TextField(
        blank=True, help_text="as letters are addressed to it (lines separated by newlines)"
    )
    phone = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):  # labels in the reader's language (the pages' header)
        CASEWORKER = "caseworker", _("caseworker")
        SUPERVISOR = "supervisor", _("supervisor")
        LEGAL_AID = "legal_aid", _("legal-aid worker")
        ANALYST = "analyst", _("analyst")
        APPLICANT = "applicant", _("applicant")
        ADMINISTRATOR = "administrator", _("administrator")

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
            models.Q(consent_date__isnull=False),
            models.Q(valid_from__lte=day),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
            models.Q(revoked_on__isnull=True) | models.Q(revoked_on__gt=day),
        )


class Mandate(models.Model):
    """A legal-aid organisation's access to one applicant's cases, by the applicant's consent:
    recorded by authority staff as the authority receives it, or requested by legal aid and
    confirmed by the applicant in the portal. A request not yet confirmed gives no access."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mandates"
    )
    applicant = models.ForeignKey(
        "cases.Applicant", on_delete=models.PROTECT, related_name="mandates"
    )
    lawyer = models.CharField(max_length=200, blank=True, help_text="the person authorised")
    consent_date = models.DateField(null=True, blank=True, help_text="empty: a request")
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    revoked_on = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(null=True, blank=True)

    objects = MandateQuerySet.as_manager()

    @property
    def pending(self) -> bool:
        """Requested by legal aid, not (yet) confirmed by the applicant."""
        return self.consent_date is None and self.revoked_on is None

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_date__isnull=True) | models.Q(valid_from__isnull=False),
                name="mandate_consented_has_start",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="mandate_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"mandate {self.pk}"
