"""Each audit entry's hash covers its row id too (issue 13): a renumbered or swapped id is
found by ``audit verify``.

An existing log whose chain verifies in the form before (without the id) is re-sealed with
the ids, under the key in force, and the checkpoint rewritten; a log that does not verify
is left as it is, so ``toevlucht audit verify`` keeps reporting it. A database without
entries is not touched (nor is the checkpoint file).
"""

import hmac

from django.db import migrations

from toevlucht.appendonly import set_triggers

GENESIS = "0" * 64


def _fields(e) -> dict:
    return {
        "seq": e.seq,
        "at": e.at.isoformat(),
        "actor_id": e.actor_id,
        "actor_role": e.actor_role,
        "action": e.action,
        "purpose": e.purpose,
        "object_type": e.object_type,
        "object_ids": list(e.object_ids),
        "detail": e.detail,
    }


def reseal(apps, schema_editor) -> None:
    from toevlucht.audit.log import digest, reset_checkpoint

    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditHead")
    entries = list(Entry.objects.order_by("seq"))
    if not entries:
        return
    prev = GENESIS
    for e in entries:
        if e.prev_hash != prev or not hmac.compare_digest(digest(prev, _fields(e)), e.hash):
            return  # not intact in the old form (or sealed with ids already): leave it
        prev = e.hash
    set_triggers(schema_editor.connection, ("audit_auditentry",), create=False)
    prev = GENESIS
    for e in entries:
        e.prev_hash, e.hash = prev, digest(prev, {"id": e.pk, **_fields(e)})
        prev = e.hash
    Entry.objects.bulk_update(entries, ["prev_hash", "hash"], batch_size=2000)
    Head.objects.update_or_create(id=1, defaults={"seq": entries[-1].seq, "hash": prev})
    set_triggers(schema_editor.connection, ("audit_auditentry",), create=True)
    reset_checkpoint()


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_keyed_chain")]
    operations = [migrations.RunPython(reseal, migrations.RunPython.noop)]
