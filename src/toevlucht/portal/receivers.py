"""The portal's part of an erasure: the user name an invitation was redeemed with."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from toevlucht.portal.models import Invitation
from toevlucht.privacy.signals import personal_data_erased


@receiver(personal_data_erased)
def erase_invitations(sender: Any, applicant: Any, **kwargs: Any) -> None:
    Invitation.objects.filter(applicant=applicant).update(username="")
