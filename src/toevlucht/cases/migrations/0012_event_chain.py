"""Procedure events under a tamper-evident chain (issue 13, item 6): each event gets its
place (chain_seq), the previous event's hash and its own HMAC under TOEVLUCHT_AUDIT_KEY.

Existing events are sealed in the order of their ids (trust on first use: what is in the
database when this runs is what the chain vouches for from now on), the chain's head is
head row 2, and the checkpoint is rewritten with it. A database without events is not
touched, nor is the checkpoint file. The append-only triggers are re-created at the end (a
table rebuild on SQLite drops them), now with the one refusing REPLACE.
"""

import django.utils.timezone
from django.db import migrations, models

from toevlucht.appendonly import set_triggers


def seal_existing(apps, schema_editor) -> None:
    from toevlucht.audit.log import GENESIS, digest, reset_checkpoint
    from toevlucht.cases.models import event_fields

    Event = apps.get_model("cases", "ProcedureEvent")
    Head = apps.get_model("audit", "AuditHead")
    events = list(Event.objects.select_related("corrects").order_by("id"))
    if not events:
        return
    set_triggers(schema_editor.connection, ("cases_procedureevent",), create=False)
    prev = GENESIS
    for n, e in enumerate(events, start=1):
        e.chain_seq, e.prev_hash = n, prev
        e.hash = prev = digest(prev, event_fields(e))
    Event.objects.bulk_update(events, ["chain_seq", "prev_hash", "hash"], batch_size=2000)
    Head.objects.update_or_create(id=2, defaults={"seq": len(events), "hash": prev})
    reset_checkpoint()


def recreate_triggers(apps, schema_editor) -> None:
    set_triggers(schema_editor.connection, ("cases_procedureevent",), create=True)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_search_key_yo_arabic'),
        ('audit', '0003_keyed_chain'),
    ]

    operations = [
        migrations.AddField(
            model_name='procedureevent',
            name='chain_seq',
            field=models.BigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='procedureevent',
            name='hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='procedureevent',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='procedureevent',
            name='recorded_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RunPython(recreate_triggers, migrations.RunPython.noop),
    ]
