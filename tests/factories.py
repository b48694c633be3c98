"""Test data on real geometry: squares near the real point of a real commune."""

import factory
from django.contrib.auth.models import Group, Permission, User
from django.contrib.gis.geos import MultiPolygon, Polygon

from sites.models import (
    SRID,
    BusinessPark,
    Commune,
    Organisation,
    Plot,
    StaffMembership,
)
from sites.staff import DEVELOPER_GROUP


def square(commune, offset_m=0, side_m=100):
    x = commune.point.x + offset_m
    y = commune.point.y
    return MultiPolygon(Polygon.from_bbox((x, y, x + side_m, y + side_m)), srid=SRID)


def free_square(park, side_m=40):
    """A square in the park, clear of its plots (Lambert-93)."""
    room = park.perimeter
    for plot in park.plots.all():
        room = room.difference(plot.geom.buffer(1))
    centre = room.buffer(-(side_m / 2 + 3)).point_on_surface
    half = side_m / 2
    square = Polygon.from_bbox(
        (centre.x - half, centre.y - half, centre.x + half, centre.y + half)
    )
    square.srid = SRID
    assert park.perimeter.contains(square)
    assert not any(plot.geom.intersects(square) for plot in park.plots.all())
    return square


class BusinessParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessPark

    name = factory.Sequence(lambda n: f"Parc d'activités {n}")
    slug = factory.Sequence(lambda n: f"parc-{n}")
    organisation = factory.LazyFunction(lambda: Organisation.objects.get(slug="call"))
    commune = factory.LazyFunction(lambda: Commune.objects.get(name="Lens"))
    perimeter = factory.LazyAttribute(lambda o: square(o.commune, side_m=1_000))
    is_published = True


class PlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plot

    name = factory.Sequence(lambda n: f"Terrain {n}")
    slug = factory.Sequence(lambda n: f"terrain-{n}")
    park = factory.SubFactory(BusinessParkFactory)
    commune = factory.SelfAttribute("park.commune")
    geom = factory.Sequence(
        lambda n: square(Commune.objects.get(name="Lens"), offset_m=(n % 8) * 110)
    )
    is_published = True


def staff_user(slug):
    """A developer of the organisation `slug`, with the staff group's rights."""
    user = User.objects.create_user(f"staff-{slug}", is_staff=True)
    user.groups.add(Group.objects.get(name=DEVELOPER_GROUP))
    StaffMembership.objects.create(
        user=user, organisation=Organisation.objects.get(slug=slug)
    )
    return user


def view_only_staff(slug):
    """Staff of the organisation `slug` who may view its listings in the
    admin, not change them."""
    user = staff_user(slug)
    user.groups.clear()
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="sites", codename__startswith="view_"
        )
    )
    return user
