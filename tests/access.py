"""The one access matrix of the tests: which of the three cases of the ``world`` fixture
(``own``: the authority's case under a VluchtelingenWerk mandate, the applicant with an
account; ``other``: another authority's, no mandate; ``revoked``: the authority's, its
mandate revoked) each role may see. The selectors, the API and the staff pages are all
tested against it."""

from __future__ import annotations

CASES = ("own", "other", "revoked")

MATRIX: dict[str, frozenset[str]] = {
    "caseworker": frozenset({"own", "revoked"}),
    "supervisor": frozenset({"own", "revoked"}),
    "foreign_caseworker": frozenset({"other"}),  # a caseworker of the other authority
    "legal_aid": frozenset({"own"}),
    "other_legal_aid": frozenset(),  # legal aid without a mandate for any of them
    "analyst": frozenset(),
    "applicant": frozenset({"own"}),
    "administrator": frozenset({"own", "other", "revoked"}),
}
