import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from sites.models import Organisation, StaffMembership
from sites.staff import DEVELOPER_GROUP


class Command(BaseCommand):
    help = (
        "Create local accounts for the embedded portal (a superuser, and one staff "
        "user per organisation) and say how to log in."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("dev_admin only runs with DEBUG settings.")
        password_file = settings.VAR_DIR / "admin-password.txt"
        password = password_file.read_text().strip() if password_file.exists() else ""
        User = get_user_model()
        admin, _ = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        if not password or not admin.check_password(password):
            password = secrets.token_urlsafe(12)
            password_file.write_text(password + "\n")
        users = [admin] + [
            self.staff_user(organisation) for organisation in Organisation.objects.all()
        ]
        for user in users:
            user.set_password(password)
            user.save()
        url = f"{settings.SITE_URL}/{settings.ADMIN_URL}"
        staff = ", ".join(user.username for user in users[1:])
        self.stdout.write(
            self.style.SUCCESS(
                f"Portal: {settings.SITE_URL}/\n"
                f"Admin:  {url}  user: admin  password: {password}\n"
                f"        staff of one organisation each, same password: {staff}\n"
                f"Emails: written as files to {settings.EMAIL_FILE_PATH}"
            )
        )

    def staff_user(self, organisation):
        user, _ = get_user_model().objects.get_or_create(
            username=organisation.slug, defaults={"is_staff": True}
        )
        user.groups.add(Group.objects.get(name=DEVELOPER_GROUP))
        StaffMembership.objects.get_or_create(
            user=user, defaults={"organisation": organisation}
        )
        return user
