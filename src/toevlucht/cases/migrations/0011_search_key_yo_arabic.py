"""Search keys fold ё spelled "yo" (Muravyov, Fyodor) and keep Arabic script: recompute the
keys of the applicants already stored, with the same batched fill as 0003."""

import importlib

from django.db import migrations

fill_keys = importlib.import_module(
    "toevlucht.cases.migrations.0003_applicant_search_key"
).fill_keys


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_applicant_partial_birth_date")]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
