from celery.schedules import crontab

from investinartois.env import env, env_bool

REDIS_URL = env("REDIS_URL", None)

# Without Redis (the embedded default) tasks run in-process, so the portal
# works with no broker at all; with REDIS_URL they go to Celery workers.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BROKER_CONNECTION_TIMEOUT = 2

# Publishing happens in the investor's request: if Redis is down, give up fast
# (the lead is already saved as pending and the periodic job will send it).
# Two connection attempts of at most 0.5 s: within the 2 s the investor may wait,
# even when Redis's host drops packets rather than refusing the connection. A
# Redis that accepts the connection and never answers (hung, not down) holds
# the request for socket_timeout, 5 s, which the workers share; the lead is
# kept all the same.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

CELERY_BEAT_SCHEDULE = {
    "leads-deliver-pending": {
        "task": "leads.tasks.leads_deliver_pending_task",
        "schedule": 5 * 60,
    },
    "leads-purge": {
        "task": "leads.tasks.leads_purge_task",
        "schedule": crontab(hour=3, minute=17),
    },
    # Working days only: the task itself skips weekends and public holidays.
    "leads-digest": {
        "task": "leads.tasks.leads_digest_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # Every day; each alert gets at most one email a day, whatever the runs.
    "alerts-digest": {
        "task": "alerts.tasks.alerts_digest_task",
        "schedule": crontab(hour=7, minute=30),
    },
    "alerts-purge": {
        "task": "alerts.tasks.alerts_purge_task",
        "schedule": crontab(hour=3, minute=27),
    },
    # Skipped when the listings have not changed since the last files.
    "exchange-open-data-write": {
        "task": "exchange.tasks.open_data_write_task",
        "schedule": crontab(minute=23),
    },
    # Staff logins' addresses (django-axes' AccessLog), kept a year.
    "workspace-staff-logins-purge": {
        "task": "workspace.tasks.staff_logins_purge",
        "schedule": crontab(hour=3, minute=37),
    },
    # Expired staff sessions (cron: manage.py clearsessions).
    "workspace-expired-sessions-clear": {
        "task": "workspace.tasks.expired_sessions_clear",
        "schedule": crontab(hour=3, minute=41),
    },
    "workspace-remind-stale-listings": {
        "task": "workspace.tasks.remind_stale_listings",
        "schedule": crontab(day_of_month=1, hour=8, minute=0),
    },
}
