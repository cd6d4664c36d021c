"""Each procedure event's hash covers its row id too (issue 13): the id the API and the
audit entries name an event by cannot be renumbered or swapped unseen.

An events chain that verifies in the form before (without the id) is re-sealed with the
ids, under the key in force, and the checkpoint rewritten; one that does not verify is left
as it is, for ``toevlucht audit verify`` to report. Without events nothing is touched.
"""

import hmac

from django.db import migrations

from toevlucht.appendonly import set_triggers

GENESIS = "0" * 64


def reseal(apps, schema_editor) -> None:
    from toevlucht.audit.log import digest, reset_checkpoint
    from toevlucht.cases.models import event_fields

    Event = apps.get_model("cases", "ProcedureEvent")
    Head = apps.get_model("audit", "AuditHead")
    events = list(Event.objects.select_related("corrects").order_by("chain_seq", "id"))
    if not events or any(e.chain_seq is None for e in events):
        return
    prev = GENESIS
    for e in events:
        old = {k: v for k, v in event_fields(e).items() if k != "id"}
        if e.prev_hash != prev or not hmac.compare_digest(digest(prev, old), e.hash):
            return  # not intact in the old form (or sealed with ids already): leave it
        prev = e.hash
    set_triggers(schema_editor.connection, ("cases_procedureevent",), create=False)
    prev = GENESIS
    for e in events:
        e.prev_hash = prev
        e.hash = prev = digest(prev, event_fields(e))
    Event.objects.bulk_update(events, ["prev_hash", "hash"], batch_size=2000)
    Head.objects.update_or_create(id=2, defaults={"seq": events[-1].chain_seq, "hash": prev})
    set_triggers(schema_editor.connection, ("cases_procedureevent",), create=True)
    reset_checkpoint()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_event_chain"),
        ("audit", "0004_ids_in_chain"),
    ]
    operations = [migrations.RunPython(reseal, migrations.RunPython.noop)]
