import pytest
from django.contrib.auth.models import Group, User

from sites.models import Organisation, StaffMembership
from sites.staff import DEVELOPER_GROUP
from stories.demo import stories_demo_load


@pytest.fixture
def content(demo):
    """The report's sectors, stories and innovation park, on the demo parks."""
    stories_demo_load()


def staff_user(slug):
    user = User.objects.create_user(f"staff-{slug}", is_staff=True)
    user.groups.add(Group.objects.get(name=DEVELOPER_GROUP))
    StaffMembership.objects.create(
        user=user, organisation=Organisation.objects.get(slug=slug)
    )
    return user
