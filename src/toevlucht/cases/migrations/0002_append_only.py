from django.db import migrations

from toevlucht.appendonly import migration_operation


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migration_operation("cases_procedureevent")]
