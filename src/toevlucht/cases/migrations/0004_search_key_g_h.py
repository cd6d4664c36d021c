"""Search keys fold g and h together (Russian г is g, Ukrainian г is h): recompute the keys of
the applicants already stored, with the same batched fill as 0003."""

import importlib

from django.db import migrations

fill_keys = importlib.import_module(
    "toevlucht.cases.migrations.0003_applicant_search_key"
).fill_keys


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_applicant_search_key")]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
