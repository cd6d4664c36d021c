"""Password rules beyond Django's validators (``AUTH_PASSWORD_VALIDATORS``, settings.py).

Django's length, common-password, similarity and numeric rules let ``aaaaaaaaaaaa``
through; these add variety for everyone and a passphrase for applicants, whose portal
account guards their own case: several words are easier to remember and to type on a
phone than a short string of symbols."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MIN_DISTINCT = 6
PASSPHRASE_WORDS = 4
PASSPHRASE_LENGTH = 16


class VarietyValidator:
    """At least ``MIN_DISTINCT`` different characters."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(set(password)) < MIN_DISTINCT:
            raise ValidationError(
                ngettext(
                    "Use at least %(n)d different character.",
                    "Use at least %(n)d different characters.",
                    MIN_DISTINCT,
                )
                % {"n": MIN_DISTINCT},
                code="password_too_uniform",
            )

    def get_help_text(self) -> str:
        return _("Use at least %(n)d different characters.") % {"n": MIN_DISTINCT}


class ApplicantPassphraseValidator:
    """For applicants: a passphrase of at least ``PASSPHRASE_WORDS`` words (separated by
    spaces) and ``PASSPHRASE_LENGTH`` characters. Staff are not affected."""

    def validate(self, password: str, user: Any = None) -> None:
        if str(getattr(user, "role", "")) != "applicant":
            return
        words = [w for w in password.split() if len(w) >= 2]
        if len(words) < PASSPHRASE_WORDS or len(password) < PASSPHRASE_LENGTH:
            raise ValidationError(
                _(
                    "Use a passphrase: at least %(words)d words with spaces between them, "
                    "%(length)d characters in all, for example four words you will remember."
                )
                % {"words": PASSPHRASE_WORDS, "length": PASSPHRASE_LENGTH},
                code="password_not_passphrase",
            )

    def get_help_text(self) -> str:
        return _(
            "Applicants: a passphrase of at least %(words)d words with spaces between them."
        ) % {"words": PASSPHRASE_WORDS}
