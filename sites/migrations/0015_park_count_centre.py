from django.db import migrations, models


def forget_the_grid(apps, schema_editor):
    """The counts per park kept so far have no centre: emptied with the
    grid's stamp, so that tiles are counted live (and ask for a rebuild)
    until the grid is built again."""
    apps.get_model("sites", "ParkCount").objects.all().delete()
    apps.get_model("sites", "ClusterGrid").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0014_plot_surface_order_counts"),
    ]

    operations = [
        migrations.RunPython(forget_the_grid, migrations.RunPython.noop),
        migrations.AddField(
            model_name="parkcount",
            name="x",
            field=models.FloatField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="parkcount",
            name="y",
            field=models.FloatField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="parkcount",
            name="park_name",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="parkcount",
            name="park_slug",
            field=models.CharField(default="", max_length=220),
            preserve_default=False,
        ),
    ]
