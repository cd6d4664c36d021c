"""The authority's letters to the applicant, in Dutch and in his language: the notice that
his decision term is extended or that a decision moratorium applies to him, and the
invitation to an interview planned for him (``interview_scheduled``).

What the letter says of the law — which extension, on what ground and by which article,
until when, which interview on which day — comes from the law engine
(:mod:`toevlucht.law.informing`), rendered in each language of the letter; the template
holds only the wording around it, translated through the letters app's catalogues
(``letters/locale``, context ``letter``). The sender may edit that wording before the PDF is
made; the law's part is not editable. Dates are the law's, the letter's own date is the
assessment's (the case clock).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext

from toevlucht.accounts.models import User
from toevlucht.cases.models import Application
from toevlucht.law import AssessmentView, DeadlineKind, DeadlineStatus
from toevlucht.law.informing import (
    ExtensionLine,
    InterviewLine,
    decision_term_open,
    interviews_to_come,
    term_caveats,
    term_extensions,
    term_limits,
)
from toevlucht.law.sources import Citation
from toevlucht.law.text import format_date
from toevlucht.letters.citing import NoSignatory, Source, signatory_name, source_on
from toevlucht.letters.notice import LetterUnavailable
from toevlucht.letters.pdf import letter_pdf

__all__ = [
    "INTERVIEW_INVITATION",
    "LETTER_LANGUAGES",
    "TERM_NOTICE",
    "ApplicantLetter",
    "LetterPart",
    "applicant_letter_html",
    "applicant_letter_pdf",
    "default_body",
    "informs_phrase",
    "interview_invitation",
    "letter_languages",
    "salutation_name",
    "term_notice",
]

TERM_NOTICE = "term_extension_notice"
INTERVIEW_INVITATION = "interview_invitation"
# the languages the letters have texts in besides Dutch; others fall back to English
LETTER_LANGUAGES = ("en", "ru", "uk")


def letter_languages(spoken: list[str] | tuple[str, ...]) -> tuple[str, str]:
    """The letter's second language for an applicant who speaks ``spoken`` (ISO 639-1, his
    first language first), and the language it falls back from ("" when it does not).

    >>> letter_languages(["ru", "en"]), letter_languages(["nl"]), letter_languages(["ka"])
    (('ru', ''), ('', ''), ('en', 'ka'))

    No language recorded: English beside Dutch, with nothing to fall back from (the page
    says the languages are not recorded).
    """
    for code in spoken:
        if code == "nl":
            return "", ""
        if code in LETTER_LANGUAGES:
            return code, "" if code == spoken[0] else spoken[0]
    return "en", spoken[0] if spoken else ""


def _p(lang: str, text: str) -> str:
    with translation.override(lang):
        return pgettext("letter", text)


def default_body(kind: str, lang: str, *, moratorium: bool = False) -> str:
    """The paragraphs around the law's part, in ``lang``, as the sender first sees them."""
    if kind == TERM_NOTICE:
        first = (
            "We are writing to tell you that a decision moratorium applies to your asylum "
            "application. Because of it, the term within which we must decide on your "
            "application is longer."
            if moratorium
            else "We are writing to tell you that the term within which we must decide on "
            "your asylum application has been extended."
        )
        parts = [
            first,
            "This is not a decision on your application. You do not need to do anything "
            "because of this letter. If you have a lawyer, you can show this letter to him "
            "or her.",
            "If you have questions, please contact us and quote the reference of this letter.",
        ]
    else:
        parts = [
            "We invite you to an interview about your asylum application.",
            "Please come on time and bring this letter and any identity documents you have. "
            "If you cannot come, tell us as soon as possible and quote the reference of this "
            "letter.",
        ]
    return "\n\n".join(_p(lang, t) for t in parts)


def _title(kind: str, lang: str, moratorium: bool) -> str:
    if kind == INTERVIEW_INVITATION:
        return _p(lang, "Invitation to an interview")
    if moratorium:
        return _p(lang, "A decision moratorium applies to your application")
    return _p(lang, "Your decision term is extended")


def _language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


@dataclass(frozen=True)
class LetterPart:
    """The letter in one language."""

    lang: str
    language_name: str
    title: str
    date_text: str  # the letter's date
    body: str
    start_text: str = ""  # the decision term's start
    due_text: str = ""  # its end, as the law has it now
    extensions: tuple[ExtensionLine, ...] = ()
    limits: tuple[tuple[str, str], ...] = ()  # the law's maximum, where it cut the term
    caveats: tuple[str, ...] = ()
    interview: InterviewLine | None = None
    fallback_note: str = ""
    salutation_name: str = ""  # the applicant's name as this part addresses him
    informs_text: str = ""  # the rules that require telling him, in one phrase

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]


@dataclass(frozen=True)
class ApplicantLetter:
    """What the letter says, taken from the case and the law engine's assessment."""

    kind: str
    reference: str
    v_number: str
    applicant_name: str
    applicant_name_original: str
    authority: str
    authority_address: str
    authority_phone: str
    sender_name: str
    sender_email: str
    sender_reference: str
    as_of: dt.date
    parts: tuple[LetterPart, ...]  # Dutch first
    language: str  # the second language ("" when only Dutch)
    fallback_from: str  # the applicant's language the letter has no text in
    moratorium: bool = False
    informs: tuple[Source, ...] = ()  # the rules that require telling the applicant
    sources: tuple[Source, ...] = ()
    details: Mapping[str, str] = field(default_factory=dict)  # interview time and place

    @property
    def title(self) -> str:
        return f"{self.parts[0].title} · {self.reference}"

    @property
    def body(self) -> str:
        return "\n\n".join(self.parts[0].paragraphs)

    @property
    def body_translated(self) -> str:
        return "\n\n".join(self.parts[1].paragraphs) if len(self.parts) > 1 else ""


def _fallback_note(lang: str, fallback_from: str) -> str:
    if not fallback_from:
        return ""
    with translation.override(lang):
        return pgettext(
            "letter",
            "This letter has no text in your language (%(language)s); it is in English "
            "beside Dutch.",
        ) % {"language": fallback_from}


def _sources(lines: list[tuple[str, Citation | None]], day: dt.date) -> tuple[Source, ...]:
    """The letter's sources, each linked to the version in force on the letter's ``day``
    as far as the law's data records it (``letters.citing``)."""
    seen: dict[str, Source] = {}
    for label, citation in lines:
        if label and label not in seen:
            seen[label] = source_on(label, citation, None, day)
    return tuple(seen.values())


# the scripts the letter's languages are written in, besides the Latin one
_SCRIPTS = {"ru": "CYRILLIC", "uk": "CYRILLIC"}


def _in_script(name: str, script: str) -> bool:
    """Whether ``name`` is written in ``script``: every letter of it is (``CYRILLIC``)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith(script) for c in letters)


def salutation_name(lang: str, latin: str, original: str) -> str:
    """The applicant's name in the part of the letter in ``lang``: in the original script
    when that is the language's (Cyrillic for Russian and Ukrainian), else the Latin one.

    >>> salutation_name("uk", "Oleh Kovalenko", "Олег Коваленко")
    'Олег Коваленко'
    >>> salutation_name("nl", "Oleh Kovalenko", "Олег Коваленко")
    'Oleh Kovalenko'
    >>> salutation_name("ru", "Giorgi Beridze", "გიორგი ბერიძე")
    'Giorgi Beridze'
    """
    script = _SCRIPTS.get(lang)
    if script and _in_script(original, script):
        return original
    return latin


def informs_phrase(lang: str, labels: list[str]) -> str:
    """The rules that require telling the applicant, as one phrase in ``lang``:
    "Vw 2000 art. 43(2) en Vw 2000 art. 42(7)" (one sentence of the letter names them all)."""
    if len(labels) <= 1:
        return labels[0] if labels else ""
    return _p(lang, "%(first)s and %(last)s") % {
        "first": ", ".join(labels[:-1]),
        "last": labels[-1],
    }


def _common(
    *, application: Application, assessment: AssessmentView, sender: User, signatory: str
) -> dict[str, object]:
    applicant = application.applicant
    org = application.organisation
    return {
        "reference": application.reference,
        "v_number": applicant.v_number,
        "applicant_name": applicant.display_name,
        "applicant_name_original": f"{applicant.given_names} {applicant.family_name}".strip(),
        "authority": org.name,
        "authority_address": org.postal_address,
        "authority_phone": org.phone,
        "sender_name": signatory_name(sender, signatory),
        "sender_email": sender.email,
        "as_of": assessment.as_of,
    }


def _languages(application: Application) -> tuple[tuple[str, ...], str, str]:
    second, fallback = letter_languages(list(application.applicant.languages or []))
    langs = ("nl", second) if second else ("nl",)
    return langs, second, fallback


def term_notice(
    *,
    application: Application,
    assessment: AssessmentView | None,
    sender: User,
    sender_reference: str = "",
    bodies: Mapping[str, str] | None = None,
    signatory: str = "",
) -> ApplicantLetter:
    """The notice that the decision term is extended, or that a moratorium holds it.
    ``bodies``: the edited paragraphs by language (default: :func:`default_body`);
    ``signatory``: the name it is signed with (default: the sender's name).

    Raises:
        LetterUnavailable: no assessment; the decision term does not run (not started,
            decided, expired); or the law applied no extension or moratorium to it.
    """
    a = assessment.assessment if assessment is not None else None
    if a is None or not decision_term_open(a):
        raise LetterUnavailable("the decision term of this case does not run on this day")
    if not term_extensions(a, "nl"):
        raise LetterUnavailable(
            "the law applies no extension or moratorium to this case's decision term"
        )
    decision = a.deadline(DeadlineKind.DECISION)
    assert decision is not None  # (decision_term_open)
    langs, second, fallback = _languages(application)
    assert assessment is not None  # (a is its assessment)
    common = _common(
        application=application, assessment=assessment, sender=sender, signatory=signatory
    )
    # the subject: a moratorium while one holds the term (the law suspends it) or when the
    # latest thing that moved it is one; an extension of the term otherwise
    lines = term_extensions(a, "nl")
    moratorium = lines[-1].moratorium or (
        decision.status is DeadlineStatus.SUSPENDED and any(x.moratorium for x in lines)
    )
    informs = _sources([(x.informs.label, x.informs) for x in lines if x.informs], a.as_of)
    parts = []
    for lang in langs:
        body = (bodies or {}).get(lang) or default_body(TERM_NOTICE, lang, moratorium=moratorium)
        parts.append(
            LetterPart(
                lang=lang,
                language_name=_language_name(lang),
                title=_title(TERM_NOTICE, lang, moratorium),
                date_text=format_date(a.as_of, lang),
                body=body,
                start_text=format_date(decision.start, lang) if decision.start else "",
                due_text=format_date(decision.due, lang),
                extensions=term_extensions(a, lang),
                limits=term_limits(a, lang),
                caveats=term_caveats(a, lang),
                fallback_note=_fallback_note(lang, fallback) if lang == "en" else "",
                salutation_name=_salutation(lang, common),
                informs_text=informs_phrase(lang, [s.label for s in informs]),
            )
        )
    return ApplicantLetter(
        kind=TERM_NOTICE,
        sender_reference=sender_reference,
        parts=tuple(parts),
        language=second,
        fallback_from=fallback,
        moratorium=moratorium,
        informs=informs,
        sources=_sources([(x.source, x.citation) for x in lines], a.as_of) + informs,
        **common,  # type: ignore[arg-type]
    )


def interview_invitation(
    *,
    application: Application,
    assessment: AssessmentView | None,
    sender: User,
    time: str = "",
    place: str = "",
    sender_reference: str = "",
    bodies: Mapping[str, str] | None = None,
    signatory: str = "",
) -> ApplicantLetter:
    """The invitation to the soonest interview planned for the applicant that is still to
    come on the letter's date. ``time`` and ``place`` are the sender's (the law's event
    records only the day).

    Raises:
        LetterUnavailable: no assessment, or no interview to come.
    """
    a = assessment.assessment if assessment is not None else None
    coming = interviews_to_come(a, "nl") if a is not None else ()
    if a is None or not coming:
        raise LetterUnavailable("no interview is planned for this case after this day")
    langs, second, fallback = _languages(application)
    assert assessment is not None  # (a is its assessment)
    common = _common(
        application=application, assessment=assessment, sender=sender, signatory=signatory
    )
    parts = []
    for lang in langs:
        body = (bodies or {}).get(lang) or default_body(INTERVIEW_INVITATION, lang)
        parts.append(
            LetterPart(
                lang=lang,
                language_name=_language_name(lang),
                title=_title(INTERVIEW_INVITATION, lang, False),
                date_text=format_date(a.as_of, lang),
                body=body,
                interview=interviews_to_come(a, lang)[0],
                fallback_note=_fallback_note(lang, fallback) if lang == "en" else "",
                salutation_name=_salutation(lang, common),
            )
        )
    first = coming[0]
    return ApplicantLetter(
        kind=INTERVIEW_INVITATION,
        sender_reference=sender_reference,
        parts=tuple(parts),
        language=second,
        fallback_from=fallback,
        sources=_sources([(first.source, first.citation)], a.as_of),
        details={
            "time": time,
            "place": place,
            "interview": first.kind.value,
            "day": first.day.isoformat(),
        },
        **common,  # type: ignore[arg-type]
    )


def _salutation(lang: str, common: dict[str, object]) -> str:
    return salutation_name(
        lang, str(common["applicant_name"]), str(common["applicant_name_original"])
    )


def applicant_letter_html(letter: ApplicantLetter) -> str:
    with translation.override("nl"):
        return render_to_string("letters/applicant_letter.html", {"letter": letter})


def applicant_letter_pdf(letter: ApplicantLetter) -> bytes:
    """The letter as a tagged PDF (PDF/UA-1, ``letters.pdf``).

    Raises:
        NoSignatory: the letter has no signatory's name.
    """
    if not letter.sender_name:
        raise NoSignatory("the letter to the applicant has no signatory's name")
    return letter_pdf(applicant_letter_html(letter))
