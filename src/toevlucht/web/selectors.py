"""Reads for the staff pages, built on :mod:`toevlucht.cases.selectors` (which alone decides
which cases a user sees). Lists audit the page that is shown; counts and occupancy carry no
personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext

from toevlucht import clock
from toevlucht.accounts.roles import AUTHORITY
from toevlucht.audit.log import record
from toevlucht.cases import changes
from toevlucht.cases.announce import measure_preview
from toevlucht.cases.models import (
    Applicant,
    Application,
    CaseStatus,
    Placement,
    ProcedureEvent,
    ReceptionCentre,
)
from toevlucht.cases.selectors import (
    application_get_for_user,
    application_list_for_user,
    applications_visible_to,
    audit_list_read,
    events_for_application,
)
from toevlucht.cases.services import assessment_for
from toevlucht.cases.translit import ARABIC_MARK, query_words
from toevlucht.errors import Rejected
from toevlucht.law import AssessmentView, LawError, Measure
from toevlucht.law.view import DeadlineLine, RemedyLine
from toevlucht.measures.models import AnnouncedMeasure
from toevlucht.measures.selectors import all_measures
from toevlucht.web.presenters import TimelineEntry, timeline

__all__ = [
    "SORTS",
    "CaseFile",
    "CentreOccupancy",
    "MeasurePage",
    "MeasurePreview",
    "Queue",
    "QueueFilters",
    "announced_measures",
    "applications_by_pk",
    "case_file",
    "cases_with_measure",
    "event_of_case",
    "measure_page",
    "measure_preview_for_user",
    "nationalities",
    "occupancy",
    "placements_for_application",
    "queue_export",
    "search",
    "work_queue",
]

PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilters:
    stage: str = ""
    nationality: str = ""
    measure: str = ""
    centre: int | None = None
    overdue: bool = False
    closed: bool = False  # closed cases (final, withdrawn) too
    group: str = ""  # a group of law/data/nl/measures.toml the applicant belongs to
    caseworker: int | None = None  # assigned to this user
    unassigned: bool = False
    mine: int | None = None  # assigned to this user (the signed-in one: "my cases")
    late: bool = False  # late or missing next step (the projection's late_since)
    regime: str = ""  # the procedure regime of the projection (vw2000, apr)
    sort: str = ""  # a key of SORTS; default: legal urgency


# The work queue's orders: every one over columns of the projection or the case (no law call
# per row); the default, legal urgency, is the projection's band and date
# (``cases.projection.QueueBand``) and has its own index.
# Plain ascending columns, so the index (open, queue_band, queue_date) gives the order: a
# NULLS LAST made SQLite sort all 100,000 cases (6 ms -> 110 ms per page). A band's date is
# empty only in the last band (nobody waits on the authority), where the order is moot.
URGENCY = ("status__queue_band", "status__queue_date", "status__application_id")
SORTS: dict[str, tuple[Any, ...]] = {
    "urgency": URGENCY,
    "reference": ("reference",),
    "-reference": ("-reference",),
    "applicant": ("applicant__family_name_latin", "applicant__given_names_latin", "pk"),
    "-applicant": ("-applicant__family_name_latin", "-applicant__given_names_latin", "-pk"),
    "nationality": ("applicant__nationality", *URGENCY),
    "-nationality": ("-applicant__nationality", *URGENCY),
    "stage": ("status__stage", *URGENCY),
    "-stage": ("-status__stage", *URGENCY),
    "due": (F("status__next_deadline_due").asc(nulls_last=True), "pk"),
    "-due": (F("status__next_deadline_due").desc(nulls_last=True), "-pk"),
    "waiting": (F("status__waiting_since").asc(nulls_last=True), "pk"),
    "-waiting": (F("status__waiting_since").desc(nulls_last=True), "-pk"),
    # the column shows days in the stage: fewest first is the latest stage_since first
    "in_stage": (F("status__stage_since").desc(nulls_last=True), "pk"),
    "-in_stage": (F("status__stage_since").asc(nulls_last=True), "-pk"),
    "caseworker": (F("caseworker__username").asc(nulls_last=True), *URGENCY),
    "-caseworker": (F("caseworker__username").desc(nulls_last=True), *URGENCY),
}


@dataclass
class Queue:
    page: Page[Application]
    counts: dict[str, int]


def _ordered(qs: QuerySet[Application], sort: str = "") -> QuerySet[Application]:
    """By legal urgency (overdue first, most days late first; waiting cases whose next step
    is late; soonest due; waiting; the rest), or by ``sort`` (a key of :data:`SORTS`)."""
    return qs.order_by(*SORTS.get(sort or "urgency", URGENCY))


def _measure_q(measure_id: str) -> QuerySet[Any, Any]:
    """Case statuses with ``measure_id`` among the measures in force: a text match on the JSON
    list (ids are slugs), which works on SQLite and PostgreSQL alike."""
    return (
        CaseStatus.objects.annotate(_m=Cast("measures_in_force", TextField()))
        .filter(_m__contains=f'"{measure_id}"')
        .values("application_id")
    )


def _filter_q(f: QueueFilters) -> Q:
    q = Q()
    if not f.closed:
        q &= Q(status__open=True)
    if f.stage:
        q &= Q(status__stage=f.stage)
    if f.nationality:
        q &= Q(applicant__nationality=f.nationality)
    if f.overdue:
        q &= Q(status__overdue=True)
    if f.measure:
        q &= Q(pk__in=_measure_q(f.measure))
    if f.centre is not None:
        current = Placement.objects.filter(centre_id=f.centre, end__isnull=True).values(
            "applicant_id"
        )
        q &= Q(applicant_id__in=current)
    if f.group:
        q &= Q(applicant_id__in=_group_q(f.group))
    if f.caseworker is not None:
        q &= Q(caseworker_id=f.caseworker)
    if f.mine is not None:
        q &= Q(caseworker_id=f.mine)
    if f.unassigned:
        q &= Q(caseworker__isnull=True)
    if f.late:
        q &= Q(status__late_since__isnull=False)
    if f.regime:
        q &= Q(status__regime=f.regime)
    return q


def _group_q(group: str) -> QuerySet[Any, Any]:
    """Applicants in ``group`` (a slug in their JSON list of groups)."""
    return (
        Applicant.objects.annotate(_g=Cast("groups", TextField()))
        .filter(_g__contains=f'"{group}"')
        .values("id")
    )


class _CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told its count (computed with the other counts in one query)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def _queue_counts(user: Any, q: Q) -> dict[str, int]:
    """Open, overdue, suspended (of all the user's cases) and ``shown`` (those the filters
    keep), in one pass over the user's cases. Kept ``TOEVLUCHT_WEB_COUNT_CACHE_SECONDS``
    (default 30; 0: off) in Django's cache under the SQL that computes them, which holds the
    user's scope and filters, and the change mark (``cases.changes``), which a committed
    write to case data renews: the counts are computed again after a write, and at the
    latest when they expire; the rows shown are never cached."""
    visible = applications_visible_to(user)
    seconds = int(getattr(settings, "TOEVLUCHT_WEB_COUNT_CACHE_SECONDS", 30))
    key = ""
    if seconds:
        try:
            sql, params = visible.filter(q).query.sql_with_params()
        except EmptyResultSet:
            sql, params = "none", ()
        key = f"{sql}|{params!r}|{changes.mark()}"
        key = "web-counts:" + hashlib.sha256(key.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return dict(cached)
    counts = visible.aggregate(
        open=Count("pk", filter=Q(status__open=True)),
        overdue=Count("pk", filter=Q(status__open=True, status__overdue=True)),
        late=Count("pk", filter=Q(status__open=True, status__late_since__isnull=False)),
        suspended=Count("pk", filter=Q(status__open=True, status__suspended=True)),
        shown=Count("pk", filter=q) if q else Count("pk"),
    )
    if key:
        cache.set(key, counts, seconds)
    return counts


def work_queue(*, user: Any, filters: QueueFilters, page: int | str | None, purpose: str) -> Queue:
    """One page of the user's cases ordered by legal urgency (or ``filters.sort``), with
    counts over all their open cases; the page shown is audited."""
    q = _filter_q(filters)
    counts = _queue_counts(user, q)
    qs = _ordered(
        application_list_for_user(user=user, purpose=purpose, filters=q).select_related(
            "caseworker"
        ),
        filters.sort,
    )
    page_obj = _CountedPaginator(qs, PAGE_SIZE, counts["shown"]).get_page(page)
    audit_list_read(user=user, applications=list(page_obj.object_list), purpose=purpose)
    return Queue(page=page_obj, counts=counts)


EXPORT_MAX = 10_000


def queue_export(*, user: Any, filters: QueueFilters) -> list[Application]:
    """Every case of the filtered queue, in its order, for a CSV file; the export is audited
    (action ``export``). More than :data:`EXPORT_MAX` cases is refused: narrow the filters."""
    q = _filter_q(filters)
    qs = _ordered(
        application_list_for_user(user=user, purpose="queue export", filters=q).select_related(
            "caseworker"
        ),
        filters.sort,
    )
    rows = list(qs[: EXPORT_MAX + 1])
    if len(rows) > EXPORT_MAX:
        raise Rejected(
            "export",
            gettext("more than %(n)s cases: narrow the filters to export them")
            % {"n": number_format(EXPORT_MAX, force_grouping=True)},
        )
    if rows:
        record(
            actor=user,
            action="export",
            purpose="queue export",
            object_type="application",
            object_ids=[a.pk for a in rows],
            detail={"format": "csv", "filters": asdict(filters)},
        )
    return rows


def search(*, user: Any, text: str, page: int | str | None) -> Page[Application]:
    """Cases of the user's whose reference or applicant's V-number starts with ``text`` (a
    word with a digit), or whose names contain every word of ``text`` at the start of a
    word, in either script and spelling (``translit.search_key``); a Latin spelling of an
    Arabic or Persian name also finds the other usual spellings (``translit.arabic_keys``)."""
    text = text.strip()
    if text and " " not in text and any(ch.isdigit() for ch in text):
        # a range, not LIKE: SQLite's LIKE ignores the index
        ref = text.upper()
        q = Q(applicant__v_number__gte=text, applicant__v_number__lt=text + "\U0010ffff") | Q(
            reference__gte=ref, reference__lt=ref + "\U0010ffff"
        )
    else:
        q = Q(pk__in=[])
        for i, (key, arabic) in enumerate(query_words(text)):
            word = Q(applicant__search_key__contains=f" {key}") if key else Q(pk__in=[])
            for alt in arabic:  # Mohammed finds Muhammad, Hashimi Hashemi (whole words)
                word |= Q(applicant__search_key__contains=f" {ARABIC_MARK}{alt} ")
            q = word if i == 0 else q & word
    qs = application_list_for_user(user=user, purpose="search", filters=q).order_by(
        "applicant__family_name_latin", "applicant__given_names_latin", "pk"
    )
    page_obj = Paginator(qs, PAGE_SIZE).get_page(page)
    audit_list_read(user=user, applications=list(page_obj.object_list), purpose="search")
    return page_obj


def cases_with_measure(*, user: Any, measure_id: str, page: int | str | None) -> Page[Application]:
    """The user's open cases that ``measure_id`` holds today (audited page)."""
    return work_queue(
        user=user,
        filters=QueueFilters(measure=measure_id),
        page=page,
        purpose="policy measure",
    ).page


@dataclass
class CaseFile:
    application: Application
    timeline: list[TimelineEntry]
    placements: list[Placement]
    assessment: AssessmentView | None
    error: str = ""

    @property
    def deadline(self) -> dict[str, DeadlineLine]:
        """Deadlines by kind (``decision``, ``appeal``...), for the templates."""
        return {d.kind.value: d for d in self.assessment.deadlines} if self.assessment else {}

    @property
    def remedy(self) -> dict[str, RemedyLine]:
        return {r.kind.value: r for r in self.assessment.remedies} if self.assessment else {}


def case_file(*, user: Any, pk: int, lang: str, purpose: str = "case handling") -> CaseFile:
    """Everything the case page shows: the case (read through the access selector, which
    audits it and raises 404 for a case the user may not see), its events as a timeline,
    the applicant's placements and the law engine's assessment in ``lang``."""
    app = application_get_for_user(user=user, pk=pk, purpose=purpose)
    events = list(events_for_application(app))
    try:
        assessment: AssessmentView | None = assessment_for(app, lang=lang)
        error = ""
    except LawError as exc:  # a stored history the engine cannot assess: say so, no 500
        assessment, error = None, str(exc)
    return CaseFile(
        application=app,
        timeline=timeline(events),
        placements=list(placements_for_application(app)),
        assessment=assessment,
        error=error,
    )


def event_of_case(*, user: Any, pk: int, event_pk: int) -> tuple[Application, ProcedureEvent]:
    """A visible case and one of its events (404 for either one missing or invisible)."""
    app = application_get_for_user(user=user, pk=pk, purpose="correction")
    event = events_for_application(app).filter(pk=event_pk).first()
    if event is None:
        raise Http404("no such event in this case")
    return app, event


@dataclass
class MeasurePreview:
    touched: int  # open cases whose decision term the measure would move (all authorities)
    changed: int
    touched_mine: int  # of which the user's own
    changed_mine: int
    sample: list[Application]  # some of the user's cases it would change (audited)


SAMPLE_SIZE = 20


def measure_preview_for_user(*, user: Any, definition: Mapping[str, Any]) -> MeasurePreview:
    """``cases.announce.measure_preview`` with the counts for the user's own cases and a
    sample of them. Raises ``MeasureRejected`` for a definition the law rejects."""
    p = measure_preview(actor=user, definition=definition)
    mine = set(applications_visible_to(user).filter(status__open=True).values_list("pk", flat=True))
    changed_mine = [pk for pk in p.changed if pk in mine]
    sample = list(
        application_list_for_user(
            user=user, purpose="policy measure", filters=Q(pk__in=changed_mine[:SAMPLE_SIZE])
        ).order_by("reference")
    )
    audit_list_read(user=user, applications=sample, purpose="policy measure")
    return MeasurePreview(
        touched=len(p.touched),
        changed=len(p.changed),
        touched_mine=sum(1 for pk in p.touched if pk in mine),
        changed_mine=len(changed_mine),
        sample=sample,
    )


def applications_by_pk(*, user: Any, pks: list[int], purpose: str) -> dict[int, Application]:
    """Visible applications among ``pks`` (audited)."""
    apps = list(application_list_for_user(user=user, purpose=purpose, filters=Q(pk__in=pks)))
    audit_list_read(user=user, applications=apps, purpose=purpose)
    return {a.pk: a for a in apps}


@dataclass
class MeasurePage:
    measure: Measure
    announced: AnnouncedMeasure | None
    cases: Page[Application]  # the user's open cases that fall under it today (in force for them)
    changed: dict[int, Application]  # of ``changed_pks``, those the user may see


def measure_page(
    *, user: Any, measure_id: str, page: int | str | None, changed_pks: list[int]
) -> MeasurePage:
    """A measure (404 if unknown), its announcement in the app, the user's cases it holds
    and the visible ones among ``changed_pks`` (both lists audited)."""
    measure = all_measures().get(measure_id)
    if measure is None:
        raise Http404("no such measure")
    return MeasurePage(
        measure=measure,
        announced=announced_measures().get(measure_id),
        cases=cases_with_measure(user=user, measure_id=measure_id, page=page),
        changed=(
            applications_by_pk(user=user, pks=changed_pks, purpose="policy measure")
            if changed_pks
            else {}
        ),
    )


def announced_measures() -> dict[str, AnnouncedMeasure]:
    """Measures announced in the app, by id (no personal data)."""
    return {
        m.measure_id: m
        for m in AnnouncedMeasure.objects.select_related("announced_by").order_by("announced_at")
    }


def nationalities(user: Any) -> list[str]:
    """The nationalities of the applicants of the cases ``user`` may see
    (``applications_visible_to``), for the queue's filter: codes only, read without
    personal data, so not audited.

    The authority sees its organisation's cases, up to 100,000: one index probe per
    nationality on record (a recursive query: the next code after the last one) and, for
    each code, an ``EXISTS`` over the user's cases of that nationality, which the index on
    the nationality answers at its first applicant of the authority. Not a ``DISTINCT`` over
    every applicant: PostgreSQL, which cannot skip through an index, read all 100,000 for it
    on every page of the queue (31 ms). Legal aid and an applicant see few cases: a
    ``DISTINCT`` over those."""
    visible = applications_visible_to(user)
    if str(getattr(user, "role", "")) not in AUTHORITY:
        codes = visible.values_list("applicant__nationality", flat=True).distinct()
        return sorted({c for c in codes.order_by() if c})
    probe = visible.filter(applicant__nationality=RawSQL("codes.code", ())).values("pk")[:1]
    try:
        seen_sql, seen_params = probe.query.sql_with_params()
    except EmptyResultSet:  # no case visible
        return []
    table = connection.ops.quote_name(Applicant._meta.db_table)
    column = connection.ops.quote_name("nationality")
    walk = (
        f"WITH RECURSIVE codes(code) AS (SELECT MIN({column}) FROM {table} UNION ALL "
        f"SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > codes.code) "
        "FROM codes WHERE codes.code IS NOT NULL) "
    )
    if connection.vendor == "postgresql":
        # PostgreSQL turns the EXISTS below into one semi-join over all the user's cases
        # (72 ms with 100,000, on every page of the queue); a LATERAL with its LIMIT 1 is
        # one probe per code (0.5 ms). SQLite has no LATERAL and probes per code anyway.
        sql = walk + f"SELECT code FROM codes CROSS JOIN LATERAL ({seen_sql}) AS seen"
        sql += " WHERE codes.code IS NOT NULL"
    else:
        sql = walk + f"SELECT code FROM codes WHERE codes.code IS NOT NULL AND EXISTS ({seen_sql})"
    with connection.cursor() as cursor:
        cursor.execute(sql, seen_params)
        return sorted(row[0] for row in cursor.fetchall() if row[0])


def placements_for_application(application: Application) -> QuerySet[Placement]:
    """The placement history of an application's applicant (the application was obtained
    through a selector, which audited the read)."""
    return Placement.objects.filter(applicant_id=application.applicant_id).select_related("centre")


@dataclass
class CentreOccupancy:
    centre: ReceptionCentre
    today: int = 0
    series: list[tuple[dt.date, int]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.today / self.centre.capacity if self.centre.capacity else 0.0

    @property
    def peak(self) -> int:
        return max((n for _, n in self.series), default=0)


def occupancy(*, start: dt.date, end: dt.date, step_days: int = 7) -> list[CentreOccupancy]:
    """Occupancy per centre on ``end`` and every ``step_days`` from ``start`` (counts only):
    who stays on a day is a placement with ``start <= day < end``."""
    today = min(end, clock.today())
    days = [start + dt.timedelta(days=i) for i in range(0, (today - start).days + 1, step_days)]
    if not days or days[-1] != today:
        days.append(today)
    starts: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    ends: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for cid, day, n in (
        Placement.objects.filter(start__lte=today)
        .values_list("centre_id", "start")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        starts[cid].append((day, n))
    for cid, day, n in (
        Placement.objects.filter(end__isnull=False, end__lte=today)
        .values_list("centre_id", "end")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        ends[cid].append((day, n))

    def on(rows: list[tuple[dt.date, int]], day: dt.date) -> int:
        return sum(n for d, n in rows if d <= day)

    out = []
    for centre in ReceptionCentre.objects.order_by("name"):
        s, e = sorted(starts[centre.pk]), sorted(ends[centre.pk])
        series = [(d, on(s, d) - on(e, d)) for d in days]
        out.append(CentreOccupancy(centre=centre, today=series[-1][1], series=series))
    return out
