"""The audit log: every read and write of personal data, append-only and hash-chained.

Each entry's ``hash`` is an HMAC-SHA256 under ``settings.TOEVLUCHT_AUDIT_KEY`` over the
previous entry's hash and the entry's own fields, so an edited, deleted, reordered or forged
entry breaks the chain; a signed checkpoint of the last hash kept outside the database
(``settings.TOEVLUCHT_AUDIT_CHECKPOINT``) reveals a truncated tail. ``AuditHead`` row 1 is
the audit log's head, row 2 the procedure events' (``cases.models``).
Entries hold ids and purposes, never names or other personal data.
"""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=30)  # read, list, create, record, correct, export, ...
    purpose = models.CharField(max_length=100)
    object_type = models.CharField(max_length=40)
    object_ids = models.JSONField(default=list)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"audit {self.seq} {self.action} {self.object_type}"


class AuditHead(models.Model):
    """A single row holding the chain's head; locked while an entry is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
