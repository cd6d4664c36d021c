"""The audit chain's hashes become HMACs under TOEVLUCHT_AUDIT_KEY (issue 13, item 7).

An existing log whose plain SHA-256 chain verifies is re-sealed under the key, and the
checkpoint rewritten in its signed form; a log that does not verify is left as it is, so
``toevlucht audit verify`` keeps reporting it. A database without entries is not touched
(nor is the checkpoint file: a test database's migration must not write the real one).
"""

import hashlib
import json

from django.db import migrations

from toevlucht.appendonly import set_triggers

GENESIS = "0" * 64


def _plain(prev: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev + payload).encode("utf-8")).hexdigest()


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
        if e.prev_hash != prev or _plain(e.prev_hash, _fields(e)) != e.hash:
            return  # not intact: leave it for verify to report
        prev = e.hash
    set_triggers(schema_editor.connection, ("audit_auditentry",), create=False)
    prev = GENESIS
    for e in entries:
        e.prev_hash, e.hash = prev, digest(prev, _fields(e))
        prev = e.hash
    Entry.objects.bulk_update(entries, ["prev_hash", "hash"], batch_size=2000)
    Head.objects.update_or_create(id=1, defaults={"seq": entries[-1].seq, "hash": prev})
    set_triggers(schema_editor.connection, ("audit_auditentry",), create=True)
    reset_checkpoint()


def recreate_triggers(apps, schema_editor) -> None:
    set_triggers(schema_editor.connection, ("audit_auditentry",), create=True)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [
        migrations.RunPython(reseal, migrations.RunPython.noop),
        migrations.RunPython(recreate_triggers, migrations.RunPython.noop),
    ]
