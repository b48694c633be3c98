from django.core.management.base import BaseCommand

from leads.services import leads_digest_send


class Command(BaseCommand):
    help = (
        "Email each organisation's lead contacts the leads that need a look "
        "(flagged, or still new after 2 working days); once a day at most, on "
        "working days. For cron when Celery beat does not run."
    )

    def handle(self, *args, **options):
        outcomes = leads_digest_send()
        if outcomes is None:
            self.stdout.write("not a working day: no digest")
        elif not outcomes:
            self.stdout.write("nothing to look at: no digest")
        else:
            done = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items()))
            self.stdout.write(done)
