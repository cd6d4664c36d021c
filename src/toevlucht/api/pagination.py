"""Pages of 50 (``?page=``, ``?page_size=`` up to 200).

Counting the cases of one authority means joining tens of thousands of rows on every page
(90 ms of a 120 ms list request with 100,000 cases on SQLite), while the count of a work
queue changes slowly. So the count of a query (its SQL and parameters: the user's scope and
filters) is kept for ``TOEVLUCHT_API_COUNT_CACHE_SECONDS`` (default 30; 0 turns it off) in
Django's cache, under the change mark too (``cases.changes``): a committed write to case
data renews the mark, so the count is computed again; the rows of the page are never
cached.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from toevlucht.cases import changes

__all__ = ["CachedCountPaginator", "Pages"]


class CachedCountPaginator(Paginator):  # type: ignore[type-arg]
    @cached_property
    def count(self) -> int:
        seconds = int(getattr(settings, "TOEVLUCHT_API_COUNT_CACHE_SECONDS", 30))
        qs: Any = self.object_list
        if not seconds or not hasattr(qs, "query"):
            return int(super().count)
        try:
            sql, params = qs.query.sql_with_params()
        except EmptyResultSet:
            return 0
        key = f"{sql}|{params!r}|{changes.mark()}"
        key = "api-count:" + hashlib.sha256(key.encode()).hexdigest()
        n = cache.get(key)
        if n is None:
            n = qs.count()
            cache.set(key, n, seconds)
        return int(n)


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CachedCountPaginator

    def get_page_size(self, request: Any) -> int:
        """``page_size`` as the schema says: 1 to 200, or absent (50); DRF's own reading
        takes ``null`` or ``-3`` as "the default" instead of refusing it."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise ValidationError(
                {"page_size": [gettext("give 1 to %(n)d") % {"n": self.max_page_size}]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for p in params:
            if p["name"] == self.page_size_query_param:
                p["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
            elif p["name"] == self.page_query_param:
                p["schema"] = {"type": "integer", "minimum": 1}
        return params
