"""Search keys of applicants' names (web search finds Cyrillic names from Latin spellings and
back): the field, then the keys of the applicants already stored, in batches."""

from django.db import migrations

import toevlucht.cases.models

BATCH = 2000


def fill_keys(apps, schema_editor):
    from toevlucht.cases.models import applicant_search_key

    Applicant = apps.get_model("cases", "Applicant")
    qn = schema_editor.connection.ops.quote_name
    sql = f"UPDATE {qn(Applicant._meta.db_table)} SET {qn('search_key')} = %s WHERE id = %s"
    last = 0
    while True:
        rows = list(
            Applicant.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "given_names", "family_name", "given_names_latin", "family_name_latin")[
                :BATCH
            ]
        )
        if not rows:
            return
        params = [
            (
                applicant_search_key(
                    a.given_names, a.family_name, a.given_names_latin, a.family_name_latin
                ),
                a.pk,
            )
            for a in rows
        ]
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(sql, params)  # bulk_update's CASE is 5x slower here
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="applicant",
            name="search_key",
            field=toevlucht.cases.models.SearchKeyField(
                blank=True,
                editable=False,
                help_text="spelling-tolerant keys of the names in both scripts (for search)",
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
