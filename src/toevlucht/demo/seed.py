"""Generating many realistic cases fast (``toevlucht seed --cases N``).

Each chunk — applicants, applications, events, statuses and one audit entry — is one
transaction: a killed seed leaves only whole cases behind and an audit chain that verifies.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction

from toevlucht.accounts.models import Organisation
from toevlucht.audit.log import record
from toevlucht.cases.models import Applicant, Application, CaseStatus, ProcedureEvent
from toevlucht.cases.refresh import recompute_applications
from toevlucht.demo.fake import Person, history, person, procedure_events, weighted_nationality

CHUNK = 1000


def seed_cases(
    n: int, *, as_of: dt.date, seed: int = 1, progress: Callable[[int, int], None] | None = None
) -> int:
    org, _ = Organisation.objects.get_or_create(
        name="Immigratie- en Naturalisatiedienst (IND)",
        defaults={"kind": Organisation.Kind.AUTHORITY},
    )
    rng = random.Random(seed)
    start_year = dt.date(as_of.year - 1, 1, 1)
    span = (as_of - start_year).days
    done = 0
    base = Application.objects.count()
    while done < n:
        size = min(CHUNK, n - done)
        with transaction.atomic():
            people: list[Person] = []
            for _ in range(size):
                p = person(rng, weighted_nationality(rng), on=as_of)
                p.v_number = f"S{seed:03d}{base + done + len(people):08d}"
                people.append(p)
            applicants = Applicant.objects.bulk_create([p.as_applicant() for p in people])
            apps = Application.objects.bulk_create(
                [
                    Application(
                        reference=f"S{seed:03d}-{base + done + i:08d}",
                        applicant=a,
                        organisation=org,
                    )
                    for i, a in enumerate(applicants)
                ]
            )
            events: list[ProcedureEvent] = []
            for app in apps:
                requested = start_year + dt.timedelta(days=rng.randint(0, span))
                events += procedure_events(app, history(rng, requested, as_of))
            ProcedureEvent.objects.bulk_create(events, batch_size=2000)
            CaseStatus.objects.bulk_create(
                [CaseStatus(application=a, computed_on=as_of) for a in apps]
            )
            recompute_applications([a.pk for a in apps], as_of)
            record(
                actor=None,
                action="create",
                purpose="generated test data (seed)",
                object_type="applicant",
                object_ids=[a.pk for a in applicants],
                detail={"cases": size},
            )
        done += size
        if progress is not None:
            progress(done, n)
    _analyze()
    return done


def _analyze() -> None:
    """Fresh statistics for the query planner, as a database in use has them: SQLite's (the
    work queue and legal aid's client list are an order of magnitude faster with them on
    100,000 cases), and on PostgreSQL a vacuum too, which autovacuum would otherwise run
    over the new rows in the minute after the seed (under whatever load comes next)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM (ANALYZE)")
