"""Investors' search alerts: limits, link validity, retention."""

from investinartois.env import env_int

# Alerts an address may hold, confirmed or not: past it, the form says so.
ALERTS_PER_ADDRESS = env_int("ALERTS_PER_ADDRESS", 10, minimum=0)
# Alerts asked for per clock hour from one client address.
ALERTS_CLIENT_PER_HOUR = env_int("ALERTS_CLIENT_PER_HOUR", 20, minimum=0)
# Confirmation emails one address may receive per clock hour (saving an
# unconfirmed search again sends it again).
ALERTS_CONFIRMATIONS_PER_HOUR = 3
# The confirmation link's validity; an alert unconfirmed by then is purged.
ALERTS_CONFIRM_DAYS = 7
# An alert not renewed (its search saved again) for this long is purged, as
# leads are after their last contact.
ALERTS_RETENTION_YEARS = 3
# Plots listed in one digest; the others come in the next ones.
ALERTS_DIGEST_PLOTS = 30
# Digests the mail server refuses for good (a 5xx answer) in a row, at most
# one a day, before the alert is stopped and never written to again.
ALERTS_REFUSALS_BEFORE_STOP = env_int("ALERTS_REFUSALS_BEFORE_STOP", 3, minimum=1)
