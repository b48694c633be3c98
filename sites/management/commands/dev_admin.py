import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a local superuser for the embedded portal and say how to log in."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("dev_admin only runs with DEBUG settings.")
        password_file = settings.VAR_DIR / "admin-password.txt"
        user, _ = get_user_model().objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        password = password_file.read_text().strip() if password_file.exists() else ""
        if not password or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            password_file.write_text(password + "\n")
        url = f"http://127.0.0.1:8000/{settings.ADMIN_URL}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Portal: http://127.0.0.1:8000/\n"
                f"Admin:  {url}  user: admin  password: {password}\n"
                f"Emails: written as files to {settings.EMAIL_FILE_PATH}"
            )
        )
