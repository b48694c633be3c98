"""Investor leads: anti-spam and delivery of the contact form."""

from investinartois.env import env_int

# Leads per clock hour beyond which a lead is flagged (never held): per email
# address, per client address (core.network.client_ip, the login
# lock-out's address too). Far above what people send: see the README.
LEADS_EMAIL_PER_HOUR = env_int("LEADS_EMAIL_PER_HOUR", 20, minimum=0)
LEADS_IP_PER_HOUR = env_int("LEADS_IP_PER_HOUR", 30, minimum=0)

# The signed time trap: people take longer than this to fill the form in,
# and longer than the second to confirm the sending of an old form...
LEADS_FORM_MIN_SECONDS = 3
LEADS_CONFIRM_MIN_SECONDS = 1
# ...and a page older than this is sent back to its sender, to confirm. The
# confirmation is sent back too when older: below an hour, a person could
# confirm again and again and their lead never be saved.
LEADS_FORM_MAX_AGE = env_int("LEADS_FORM_MAX_AGE", 24 * 3600, minimum=3600)

# Celery retries of one delivery (then the periodic job takes over).
LEADS_DELIVERY_MAX_RETRIES = 5
LEADS_DELIVERY_BACKOFF = 30  # seconds, doubled at each retry, with jitter
LEADS_DELIVERY_BACKOFF_MAX = 30 * 60
# A "sending" claim older than this belongs to a worker that died mid-task.
# Well above EMAIL_TIMEOUT x the two emails of a delivery.
LEADS_CLAIM_TIMEOUT = 15 * 60

# The CNIL's guidance for prospects: 3 years after the last contact.
LEADS_RETENTION_YEARS = 3

# The daily digest: a lead still "new" this many working days (Monday to
# Friday, French public holidays excepted) after it came in needs a look.
LEADS_UNTOUCHED_WORKING_DAYS = 2
