"""Investor leads: anti-spam and delivery of the contact form."""

from investinartois.env import env, env_int

# Per client address, as investinartois.network.client_ip reads it behind
# TRUSTED_PROXIES proxies (the login lock-out's address too).
LEADS_RATE_LIMIT = env("LEADS_RATE_LIMIT", "5/h")
RATELIMIT_IP_META_KEY = "investinartois.network.client_ip"
RATELIMIT_FAIL_OPEN = True  # a cache outage must not cost a lead

# The signed time trap: people take longer than this to fill the form in...
LEADS_FORM_MIN_SECONDS = 3
# ...and a page older than this was not just filled in by a person.
LEADS_FORM_MAX_AGE = env_int("LEADS_FORM_MAX_AGE", 2 * 3600)

# Celery retries of one delivery (then the periodic job takes over).
LEADS_DELIVERY_MAX_RETRIES = 5
LEADS_DELIVERY_BACKOFF = 30  # seconds, doubled at each retry, with jitter
LEADS_DELIVERY_BACKOFF_MAX = 30 * 60
# A "sending" claim older than this belongs to a worker that died mid-task.
# Well above EMAIL_TIMEOUT x the two emails of a delivery.
LEADS_CLAIM_TIMEOUT = 15 * 60

# CNIG guidance for prospects: 3 years after the last contact.
LEADS_RETENTION_YEARS = 3

# The daily digest: a lead still "new" this many working days (Monday to
# Friday, French public holidays excepted) after it came in needs a look.
LEADS_UNTOUCHED_WORKING_DAYS = 2
