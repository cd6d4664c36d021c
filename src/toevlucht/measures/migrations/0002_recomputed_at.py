"""When the cases a measure touches were recomputed (empty while a background task does it);
measures announced before this were recomputed when they were announced."""

from django.db import migrations, models
from django.db.models import F


def announced_means_recomputed(apps, schema_editor):
    AnnouncedMeasure = apps.get_model("measures", "AnnouncedMeasure")
    AnnouncedMeasure.objects.update(recomputed_at=F("announced_at"))


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="announcedmeasure",
            name="recomputed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="when the cases it touches were recomputed; empty while a background "
                "task recomputes them (more than TOEVLUCHT_ANNOUNCE_INLINE_MAX cases)",
                null=True,
            ),
        ),
        migrations.RunPython(announced_means_recomputed, migrations.RunPython.noop),
    ]
