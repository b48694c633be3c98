"""The synthetic dataset for measurements: realistic, flagged and removable."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.utils import timezone

from leads.models import Lead
from sites.models import BusinessPark, Commune, Organisation, Plot
from sites.surfaces import hectares
from sites.synthetic import synthetic_generate, synthetic_remove

pytestmark = pytest.mark.django_db

SYNTHETIC = {"slug__startswith": "synthetic-"}


def test_territory_spread_fills_the_real_communes_with_sound_listings(demo):
    real_plots = set(Plot.objects.values_list("pk", flat=True))
    parks, plots = synthetic_generate(plots=300, spread="territory", seed=3)
    synthetic = Plot.objects.filter(**SYNTHETIC)
    assert synthetic.count() == plots == 300
    assert BusinessPark.objects.filter(**SYNTHETIC).count() == parks
    assert 300 / 36 <= parks <= 300 / 4 + 1
    # Flagged twice, and every field the pages and the search read is filled.
    assert not synthetic.exclude(is_demo=True).exists()
    assert synthetic.values("park__organisation").distinct().count() >= 2
    assert synthetic.values("marketing_stage").distinct().count() == 4
    assert 0 < synthetic.filter(is_published=False).count() < 30
    assert synthetic.on_offer().count() > 150
    # Inside their park, no two parks overlapping, in the territory's communes.
    assert not synthetic.exclude(geom__within=F("park__perimeter")).exists()
    park = BusinessPark.objects.filter(**SYNTHETIC).first()
    others = BusinessPark.objects.filter(**SYNTHETIC).exclude(pk=park.pk)
    assert not others.filter(perimeter__intersects=park.perimeter).exists()
    assert not synthetic.exclude(commune__organisation=F("park__organisation")).exists()
    # Ground surfaces as the portal measures them (sites.surfaces).
    # Every plot, not a random few: a random sample made the test flaky.
    for plot in synthetic.order_by("pk"):
        assert abs(plot.surface_ha - round(hectares(plot.geom), 4)) <= 0.0001
        assert 0.1 < plot.surface_ha < 30  # 1,000 m² to 30 ha
        assert plot.minimum_lot_ha is None or plot.is_divisible
    synthetic_remove()
    assert not Plot.objects.filter(**SYNTHETIC).exists()
    assert not BusinessPark.objects.filter(**SYNTHETIC).exists()
    assert set(Plot.objects.values_list("pk", flat=True)) == real_plots


def test_france_spread_makes_its_own_communes_and_takes_them_away():
    communes = Commune.objects.count()
    synthetic_generate(plots=120, seed=5)
    fake = Commune.objects.filter(insee__startswith="X")
    # Every 10 km over mainland France: some 5,500 communes.
    assert 5_000 < fake.count() < 6_000
    assert not fake.filter(organisation__isnull=True).exists()
    assert Organisation.objects.filter(**SYNTHETIC).count() > 50
    plots = Plot.objects.filter(**SYNTHETIC)
    assert plots.count() == 120
    assert not plots.exclude(commune__insee__startswith="X").exists()
    # Plots lie within 10 km of their commune's point (its own grid square).
    plot = plots.select_related("commune").first()
    assert plot.geom.centroid.distance(plot.commune.point) < 7_100
    synthetic_remove()
    assert Commune.objects.count() == communes
    assert not Organisation.objects.filter(**SYNTHETIC).exists()


def test_removal_keeps_leads_and_forgets_their_synthetic_plot(demo):
    synthetic_generate(plots=10, spread="territory")
    plot = Plot.objects.filter(**SYNTHETIC).first()
    lead = Lead.objects.create(
        plot=plot,
        park=plot.park,
        organisation=plot.park.organisation,
        name="Ada",
        company="Ada SA",
        country="FR",
        email="ada@example.org",
        surface_needed_m2=1000,
        jobs_planned=10,
        timeline="0-6",
        message="Bonjour",
        consent_at=timezone.now(),
    )
    synthetic_remove()
    lead.refresh_from_db()
    assert lead.plot is None and lead.park is None


def test_removal_refuses_while_leads_hold_a_synthetic_organisation():
    synthetic_generate(plots=4, seed=2)
    organisation = Organisation.objects.filter(**SYNTHETIC).first()
    Lead.objects.create(
        organisation=organisation,
        name="Ada",
        company="Ada SA",
        country="FR",
        email="ada@example.org",
        surface_needed_m2=1000,
        jobs_planned=10,
        timeline="0-6",
        message="Bonjour",
        consent_at=timezone.now(),
    )
    with pytest.raises(CommandError, match="nothing was removed"):
        call_command("synthetic_dataset", remove=True)
    assert Plot.objects.filter(**SYNTHETIC).count() == 4


def test_command_refuses_bad_sizes_and_a_second_run(demo):
    with pytest.raises(CommandError, match="between 1"):
        call_command("synthetic_dataset", plots=0)
    with pytest.raises(CommandError, match="between 1"):
        call_command("synthetic_dataset")
    call_command("synthetic_dataset", plots=8, spread="territory")
    with pytest.raises(CommandError, match="remove"):
        call_command("synthetic_dataset", plots=8, spread="territory")
    call_command("synthetic_dataset", remove=True)
    assert not Plot.objects.filter(**SYNTHETIC).exists()


def planned_rows(table):
    """How many rows the database's planner believes `table` holds (None
    when it was never analyzed)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table]
            )
            rows = cursor.fetchone()[0]
            return None if rows < 0 else rows
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return None
        # A row per index, its first number the rows it holds: all of the
        # table's but in a partial index.
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        found = [int(stat.split()[0]) for (stat,) in cursor.fetchall()]
        return max(found) if found else None


def test_the_planner_knows_the_rows_written_and_removed(demo):
    """Written in bulk, the rows are counted for the planner at once: planned
    from stale statistics, the map's grid build grouped a million new plots
    for minutes instead of seconds."""
    table = Plot._meta.db_table
    synthetic_generate(plots=300, spread="territory")
    assert planned_rows(table) == Plot.objects.count() > 300
    synthetic_remove()
    assert planned_rows(table) == Plot.objects.count() < 300


def test_removal_after_the_grid_was_built_removes_its_counts_too(demo):
    # The grid's counts per park point at the parks without a reverse
    # accessor (related_name="+"); the removal found them all the same.
    from sites import grid
    from sites.models import ParkCount

    synthetic_generate(plots=60, spread="territory", seed=5)
    grid.grid_build()
    assert ParkCount.objects.filter(park__slug__startswith="synthetic-").exists()
    real = ParkCount.objects.exclude(park__slug__startswith="synthetic-").count()
    synthetic_remove()
    assert not BusinessPark.objects.filter(**SYNTHETIC).exists()
    assert ParkCount.objects.count() == real
