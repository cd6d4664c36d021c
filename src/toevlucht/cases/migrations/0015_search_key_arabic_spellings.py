"""Search keys get the Arabic-spelling keys of Arabic and Persian names (Mohammed finds
Muhammad, Hashimi finds Hashemi): recompute the keys of the applicants already stored, in
batches as 0003 does, now with the nationality the keys depend on."""

from django.db import migrations

BATCH = 2000


def fill_keys(apps, schema_editor):
    from toevlucht.cases.models import applicant_search_key

    Applicant = apps.get_model("cases", "Applicant")
    qn = schema_editor.connection.ops.quote_name
    sql = f"UPDATE {qn(Applicant._meta.db_table)} SET {qn('search_key')} = %s WHERE id = %s"
    fields = ("given_names", "family_name", "given_names_latin", "family_name_latin")
    last = 0
    while True:
        rows = list(
            Applicant.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "nationality", *fields)[:BATCH]
        )
        if not rows:
            return
        params = [
            (applicant_search_key(*(getattr(a, f) for f in fields), a.nationality), a.pk)
            for a in rows
        ]
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(sql, params)
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_change_mark")]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
