"""Applicants, applications (cases), their append-only procedure events, the status
projection computed by the law engine, reception centres and placements.

No legal rule lives here: events are validated and the status computed by
:mod:`toevlucht.law` through :mod:`toevlucht.cases.services`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from toevlucht.audit.log import Chain, register_chain, seal
from toevlucht.cases.translit import ARABIC_MARK, arabic_keys, has_arabic_names, search_key
from toevlucht.law import EventKind, Sex, Stage, Track
from toevlucht.law.regime import Regime


def applicant_search_key(
    given_names: str,
    family_name: str,
    given_names_latin: str,
    family_name_latin: str,
    nationality: str = "",
) -> str:
    """The words of both spellings of a name as spelling-tolerant keys (``translit``),
    between spaces, so that `` <key of a word>`` finds a word by its beginning; for Arabic
    and Persian names (``translit.has_arabic_names``) also their Latin words' Arabic-spelling
    keys, each after ``~`` (``translit.arabic_keys``), found as whole words."""
    names = [given_names, family_name, given_names_latin, family_name_latin]
    words: list[str] = []
    for part in names:
        for word in search_key(part).split():
            if word not in words:
                words.append(word)
    if has_arabic_names(names, nationality):
        for part in (given_names_latin, family_name_latin):
            for key in arabic_keys(part):
                if ARABIC_MARK + key not in words:
                    words.append(ARABIC_MARK + key)
    return f" {' '.join(words)} " if words else ""


class SearchKeyField(models.TextField):  # type: ignore[type-arg]
    """Filled from the applicant's names whenever a row is saved, bulk_create included
    (which calls ``pre_save`` too)."""

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = applicant_search_key(
            getattr(model_instance, "given_names", ""),
            getattr(model_instance, "family_name", ""),
            getattr(model_instance, "given_names_latin", ""),
            getattr(model_instance, "family_name_latin", ""),
            getattr(model_instance, "nationality", ""),
        )
        setattr(model_instance, self.attname, value)
        return value


class Applicant(models.Model):
    """A person who asked for asylum. Personal data: every read and write is audited."""

    v_number = models.CharField("V-number", max_length=12, unique=True)
    given_names = models.CharField(max_length=200, help_text="in the original script")
    family_name = models.CharField(max_length=200, help_text="in the original script")
    given_names_latin = models.CharField(max_length=200)
    family_name_latin = models.CharField(max_length=200)
    birth_date = models.DateField(null=True, blank=True, help_text="when the whole date is known")
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="the year of birth, also when only it is known"
    )
    birth_month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="the month of birth, also when the day is unknown"
    )
    nationality = models.CharField(max_length=3, help_text="ISO 3166-1 alpha-3")
    sex = models.CharField(max_length=6, choices=[(s.value, s.value) for s in Sex], blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes")
    groups = models.JSONField(
        default=list, blank=True, help_text="groups of law/data/nl/measures.toml"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    erased_on = models.DateField(
        null=True,
        blank=True,
        help_text="personal data erased on this day, the retention period of every case over",
    )
    search_key = SearchKeyField(
        blank=True,
        editable=False,
        help_text="spelling-tolerant keys of the names in both scripts (for search)",
    )

    class Meta:
        indexes = [models.Index(fields=["nationality"]), models.Index(fields=["family_name_latin"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True) | models.Q(birth_year__isnull=False),
                name="applicant_birth_month_needs_year",
            ),
        ]

    def __str__(self) -> str:  # no names in reprs that may end up in logs
        return f"applicant {self.pk}"

    @property
    def birth(self) -> str:
        """The birth date as far as it is known: ``1990-05-14``, ``1990-05``, ``1990`` or
        empty (unknown), as in real files."""
        if self.birth_date is not None:
            return self.birth_date.isoformat()
        if self.birth_year is None:
            return ""
        if self.birth_month is None:
            return f"{self.birth_year:04d}"
        return f"{self.birth_year:04d}-{self.birth_month:02d}"

    @property
    def display_name(self) -> str:
        if self.erased_on is not None:
            return "—"  # personal data erased (retention)
        return f"{self.given_names_latin} {self.family_name_latin}"


class Application(models.Model):
    """One asylum application: the case. Its history is its events."""

    class Kind(models.TextChoices):
        FIRST = "first"
        SUBSEQUENT = "subsequent"

    reference = models.CharField(max_length=20, unique=True)
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FIRST)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="applications",
        help_text="the authority responsible",
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_applications",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    retention_until = models.DateField(
        null=True, blank=True, help_text="personal data due for deletion from this date"
    )

    def __str__(self) -> str:
        return self.reference


class ProcedureEventQuerySet(models.QuerySet["ProcedureEvent"]):
    def update(self, **kwargs: object) -> int:
        raise TypeError("procedure events are append-only: record a correction instead")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("procedure events are append-only: record a correction instead")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[ProcedureEvent]:
        objs = list(objs)
        with transaction.atomic():
            seal(EVENTS, objs)
            return super().bulk_create(objs, *args, **kwargs)


EVENTS = "events"


class ProcedureEvent(models.Model):
    """One fact in a case's history. Append-only: no UPDATE, no DELETE (database triggers
    enforce it too); a correction is a new event that points at the one it corrects."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(help_text="order of recording within the case")
    kind = models.CharField(max_length=40, choices=[(k.value, k.value) for k in EventKind])
    effective_date = models.DateField(help_text="the day it took effect")
    data = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_on = models.DateField(help_text="the day it was recorded (the case clock)")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    note = models.TextField(blank=True, help_text="internal note; never shown to the applicant")
    # the tamper-evident chain over every event (audit.log): its place, the previous
    # event's hash and its own, an HMAC under the chain key of event_fields()
    chain_seq = models.BigIntegerField(unique=True, null=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = ProcedureEventQuerySet.as_manager()

    class Meta:
        ordering = ["application_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["application", "seq"], name="event_seq_unique"),
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("procedure events are append-only: record a correction instead")
        with transaction.atomic():
            seal(EVENTS, [self])
            super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise TypeError("procedure events are append-only: record a correction instead")

    def __str__(self) -> str:
        return f"{self.kind} {self.effective_date}"


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def event_fields(e: ProcedureEvent) -> dict[str, Any]:
    """What an event's hash covers: everything it says, and its row id (given by ``seal``
    before the insert), so that a renumbered or swapped id — the one the API and the audit
    entries name it by — is found too."""
    corrects = e.corrects if e.corrects_id is not None else None
    return {
        "id": e.pk,
        "chain_seq": e.chain_seq,
        "application_id": e.application_id,
        "seq": e.seq,
        "kind": e.kind,
        "effective_date": _iso(e.effective_date),
        "data": e.data,
        "recorded_at": _iso(e.recorded_at),
        "recorded_on": _iso(e.recorded_on),
        "recorded_by_id": e.recorded_by_id,
        "corrects": None if corrects is None else [corrects.application_id, corrects.seq],
        "corrects_id_set": e.corrects_id is not None,
        "note": e.note,
    }


def _events_in_chain_order() -> Any:
    return (
        ProcedureEvent.objects.select_related("corrects")
        .order_by("chain_seq", "id")
        .iterator(chunk_size=5000)
    )


register_chain(
    Chain(
        EVENTS,
        2,
        "procedure event",
        "chain_seq",
        _events_in_chain_order,
        event_fields,
        ProcedureEvent,
    )
)


class CaseStatus(models.Model):
    """The status projection of an application, recomputed by the law engine from its
    events (``cases.projection``). Always rebuildable: ``toevlucht refresh`` recomputes it."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="status", primary_key=True
    )
    computed_on = models.DateField(help_text="the case-clock date it was computed for")
    computed_at = models.DateTimeField(auto_now=True)
    valid_until = models.DateField(
        null=True,
        blank=True,
        help_text="the first day time alone can change it (law.validity); empty: it holds "
        "until an event is recorded",
    )
    stage = models.CharField(max_length=20, choices=[(s.value, s.value) for s in Stage], blank=True)
    track = models.CharField(
        max_length=15,
        choices=[(t.value, t.value) for t in Track],
        default=Track.GENERAL.value,
        help_text="the track the law engine replays from the events (track_assigned)",
    )
    regime = models.CharField(
        max_length=8,
        choices=[(r.value, r.value) for r in Regime],
        default=Regime.VW2000.value,
        help_text="the procedure regime the law engine applies: vw2000 (lodged before "
        "12 June 2026) or apr (law/data/nl/regimes.toml)",
    )
    open = models.BooleanField(default=True, help_text="not final, not withdrawn, not transferred")
    next_deadline_kind = models.CharField(max_length=40, blank=True)
    next_deadline_due = models.DateField(null=True, blank=True)
    decision_due = models.DateField(null=True, blank=True)
    decision_status = models.CharField(max_length=12, blank=True)
    overdue = models.BooleanField(default=False, help_text="the decision term expired undecided")
    suspended = models.BooleanField(default=False)
    measures_in_force = models.JSONField(default=list, blank=True)
    deadlines = models.JSONField(
        default=list, blank=True, help_text="[{kind, due, status, done_on}] on computed_on"
    )
    error = models.TextField(blank=True, help_text="why the engine could not assess the case")
    waiting_since = models.DateField(
        null=True, blank=True, help_text="the request (or pending appeal) the applicant waits on"
    )
    stage_since = models.DateField(null=True, blank=True, help_text="the day the stage began")
    late_since = models.DateField(
        null=True,
        blank=True,
        help_text="the first day the authority is late: a term it must meet expired undone, "
        "or no registration interview TOEVLUCHT_REGISTRATION_INTERVIEW_ALERT_DAYS after the "
        "request",
    )
    late_reason = models.CharField(
        max_length=40, blank=True, help_text="the deadline kind, or registration_interview"
    )
    queue_band = models.PositiveSmallIntegerField(
        default=4, help_text="cases.projection.QueueBand: the work queue's order by urgency"
    )
    queue_date = models.DateField(null=True, blank=True, help_text="the order within the band")

    class Meta:
        indexes = [
            models.Index(fields=["open", "queue_band", "queue_date"]),
            models.Index(fields=["open", "next_deadline_due"]),
            models.Index(fields=["overdue"]),
            models.Index(fields=["stage"]),
            # valid_until alone: a second index led by "open" made SQLite plan the work queue
            # (open cases by next deadline) with a full sort, 3 ms -> 85 ms on 100,000 cases
            models.Index(fields=["valid_until"]),
        ]


class ReceptionCentre(models.Model):
    name = models.CharField(max_length=200, unique=True)
    municipality = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="centres"
    )

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """An applicant staying in a reception centre from ``start`` until ``end`` (exclusive)."""

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="placements")
    centre = models.ForeignKey(ReceptionCentre, on_delete=models.PROTECT, related_name="placements")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["applicant_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="placement_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(end__isnull=True),
                name="one_open_placement_per_applicant",
            ),
        ]


class ChangeMark(models.Model):
    """One row: a token that :mod:`toevlucht.cases.changes` renews after every committed
    write to case data, part of the key of counts kept in the cache."""

    token = models.CharField(max_length=32, blank=True)
