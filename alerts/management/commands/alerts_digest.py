from django.core.management.base import BaseCommand

from alerts.services import alerts_digest_send


class Command(BaseCommand):
    help = "Send the search alerts' daily digests (at most one a day each)."

    def handle(self, *args, **options):
        outcomes = alerts_digest_send()
        self.stdout.write(
            f"{outcomes['sent']} sent, {outcomes['failed']} failed, "
            f"{outcomes['refused']} refused for good "
            f"({outcomes['stopped']} alert(s) stopped)"
        )
