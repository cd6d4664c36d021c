"""API tokens stored hashed (issue 13, item 9): each key stored in clear is replaced by its
digest (``api.tokens.digest``), so tokens already handed out keep working and the database
no longer holds them. Not reversible: the keys are gone."""

import hashlib

from django.db import migrations


def hash_keys(apps, schema_editor) -> None:
    Token = apps.get_model("authtoken", "Token")
    for token in list(Token.objects.all()):
        digest = hashlib.sha256(token.key.encode("utf-8")).hexdigest()[:40]
        Token.objects.filter(pk=token.pk).delete()
        Token.objects.create(key=digest, user_id=token.user_id)
        Token.objects.filter(pk=digest).update(created=token.created)  # its age: its expiry


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_organisation_address_phone"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]
    operations = [migrations.RunPython(hash_keys, migrations.RunPython.noop)]
