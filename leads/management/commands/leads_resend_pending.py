from django.core.management.base import BaseCommand

from leads.services import leads_deliver_pending


class Command(BaseCommand):
    help = (
        "Deliver the leads still pending (and those of a sender that died), "
        "directly, without Celery or Redis: for cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200)

    def handle(self, *args, limit, **options):
        outcomes = leads_deliver_pending(limit=limit)
        summary = ", ".join(f"{status}: {n}" for status, n in sorted(outcomes.items()))
        self.stdout.write(summary or "nothing to deliver")
