"""Views of the applicant's portal: they validate input, call one selector or service and
render. Access rules live in :mod:`toevlucht.cases.selectors` and the portal's selectors."""
