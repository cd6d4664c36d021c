"""Subcommands of the ``toevlucht`` command (see toevlucht.cli)."""
