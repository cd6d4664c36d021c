"""The Dutch asylum procedure as code: pure Python and numpy, no Django, no I/O beyond
reading its own packaged data (``law/data/nl``).

Start with :func:`assess`::

    from toevlucht.law import assess, parse_case
    a = assess(parse_case(json.load(f)), dt.date(2022, 5, 9))
    a.deadline("decision").due
"""

from toevlucht.law.assess import Assessment, MeasureView, NextStep, assess
from toevlucht.law.calendar import Holiday, HolidayKind, LegalCalendar, legal_calendar
from toevlucht.law.deadlines import Deadline, DeadlineKind, DeadlineStatus
from toevlucht.law.errors import (
    CalendarRangeError,
    CaseInputError,
    DataError,
    HistoryError,
    LawError,
)
from toevlucht.law.measures import (
    EffectStatus,
    Measure,
    MeasureKind,
    groups,
    load_measures,
    measure,
)
from toevlucht.law.model import (
    EVENT_FIELDS,
    AppealAgainst,
    AppealLevel,
    Applicant,
    Case,
    DecisionOutcome,
    Event,
    EventKind,
    ExtensionGround,
    GpExtensionGround,
    InterviewKind,
    Procedure,
    RefusalGround,
    RulingOutcome,
    Sex,
    Stage,
    Track,
    parse_case,
    parse_event,
)
from toevlucht.law.remedies import Remedy, RemedyKind
from toevlucht.law.report import assessment_json, assessment_text
from toevlucht.law.sources import Citation, Status, load_sources
from toevlucht.law.text import LANGUAGES, render_key
from toevlucht.law.view import AssessmentView, assessment_view

__all__ = [
    "EVENT_FIELDS",
    "LANGUAGES",
    "AppealAgainst",
    "AppealLevel",
    "Applicant",
    "Assessment",
    "AssessmentView",
    "CalendarRangeError",
    "Case",
    "CaseInputError",
    "Citation",
    "DataError",
    "Deadline",
    "DeadlineKind",
    "DeadlineStatus",
    "DecisionOutcome",
    "EffectStatus",
    "Event",
    "EventKind",
    "ExtensionGround",
    "GpExtensionGround",
    "HistoryError",
    "Holiday",
    "HolidayKind",
    "InterviewKind",
    "LawError",
    "LegalCalendar",
    "Measure",
    "MeasureKind",
    "MeasureView",
    "NextStep",
    "Procedure",
    "RefusalGround",
    "Remedy",
    "RemedyKind",
    "RulingOutcome",
    "Sex",
    "Stage",
    "Status",
    "Track",
    "assess",
    "assessment_json",
    "assessment_text",
    "assessment_view",
    "groups",
    "legal_calendar",
    "load_measures",
    "load_sources",
    "measure",
    "parse_case",
    "parse_event",
    "render_key",
]
