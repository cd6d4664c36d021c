"""PDF letters: the notice of default (ingebrekestelling), in ``toevlucht.letters.notice``.

(Nothing is imported here: Django imports this package while it loads the apps, before
models can be imported.)"""
