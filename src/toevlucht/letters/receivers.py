"""The letters' part of an erasure past the retention date: the letters of the person's
cases are removed (the one exception to their being append-only)."""

from __future__ import annotations

from typing import Any

from django.db import router
from django.dispatch import receiver

from toevlucht.letters.models import SentLetter
from toevlucht.privacy.signals import personal_data_erased


@receiver(personal_data_erased)
def erase_letters(sender: Any, applicant: Any, **kwargs: Any) -> None:
    qs = SentLetter.objects.filter(application__applicant=applicant)
    qs._raw_delete(router.db_for_write(SentLetter))
