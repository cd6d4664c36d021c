"""Failed sign-ins (django-axes): counted per (user name, client address), with growing
delays instead of a long hard lock, and the client address taken from a trusted proxy.

* ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``: failures from one address
  delay that address for that user only — nobody can lock another person out from
  elsewhere, and one address cannot lock every user behind a proxy.
* ``cool_off``: after ``AXES_FAILURE_LIMIT`` failures the pair waits ``BASE_MINUTES``;
  every further round of that many failures in the last day doubles the wait, up to
  ``MAX_MINUTES``.
* ``client_address``: ``REMOTE_ADDR``, unless it is one of ``TOEVLUCHT_TRUSTED_PROXIES``;
  then the right-most address of ``X-Forwarded-For`` that is not a trusted proxy (what a
  client writes into the header itself is left of what the proxies add, so it is ignored).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from django.conf import settings
from django.utils import timezone

BASE_MINUTES = 1
MAX_MINUTES = 60
WINDOW = dt.timedelta(days=1)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    for net in settings.TOEVLUCHT_TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: Any) -> str | None:
    meta = getattr(request, "META", {})
    remote = str(meta.get("REMOTE_ADDR", "") or "")
    if not remote or not _trusted(remote):
        return remote or None
    hops = [h.strip() for h in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a malformed hop: the proxy's own address, never a guess
    return remote


def cool_off(request: Any = None) -> dt.timedelta:
    """How long a (user name, address) pair waits once it reached the failure limit."""
    from axes.models import AccessFailureLog

    base = dt.timedelta(minutes=BASE_MINUTES)
    if request is None:
        return base
    username = getattr(request, "POST", {}).get("username", "")
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    failures = AccessFailureLog.objects.filter(
        username=username, ip_address=address, attempt_time__gte=timezone.now() - WINDOW
    ).count()
    rounds = max(0, failures // int(settings.AXES_FAILURE_LIMIT) - 1)
    wait: dt.timedelta = min(base * 2**rounds, dt.timedelta(minutes=MAX_MINUTES))
    return wait
