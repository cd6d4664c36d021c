"""Privacy duties that span the apps holding personal data: the subject's export (GDPR
art. 15) and erasure past the retention date. It sits above ``cases`` and ``accounts``;
apps above it (the portal) erase their own rows when :data:`signals.personal_data_erased`
is sent."""
