"""A lead keeps the name of the plot and park it is about, as received.

Existing leads get them from their plot and park; a lead whose plot or park
was deleted already (unlinked without a word) gets them from the histories:
the lead's versions kept the listing's id, the listing's its last name.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 500


def unlinked(Lead, link):
    return Lead.objects.filter(**{f"{link}__isnull": True})


def _linked_names_copy(Lead, Listing, link, fields):
    linked = Lead.objects.filter(**{f"{link}__isnull": False})
    listing = Listing.objects.filter(pk=OuterRef(f"{link}_id"))
    linked.update(
        **{
            field: Subquery(listing.values(source)[:1])
            for field, source in fields.items()
        }
    )


def _deleted_names_recover(Lead, HistoricalLead, HistoricalListing, link, fields):
    """{lead id: {field: value}} for the leads unlinked from a deleted listing."""
    versions = HistoricalLead.objects.filter(
        id__in=Subquery(unlinked(Lead, link).values("pk"))
    ).exclude(**{f"{link}_id": None})
    last_link = dict(  # each lead's last version with a link wins
        versions.order_by("id", "history_id").values_list("id", f"{link}_id")
    )
    listings = (
        HistoricalListing.objects.filter(id__in=Subquery(versions.values(f"{link}_id")))
        .order_by("id", "history_id")
        .values_list("id", *fields.values())
    )
    names = {  # each listing's last version wins: its name when deleted
        listing_id: dict(zip(fields, values, strict=True))
        for listing_id, *values in listings
    }
    return {
        lead_id: names[listing_id]
        for lead_id, listing_id in last_link.items()
        if listing_id in names
    }


def names_fill(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    HistoricalLead = apps.get_model("leads", "HistoricalLead")
    links = [
        ("plot", "Plot", {"plot_name": "name", "plot_reference": "reference"}),
        ("park", "BusinessPark", {"park_name": "name"}),
    ]
    for link, model, fields in links:
        _linked_names_copy(Lead, apps.get_model("sites", model), link, fields)
        recovered = _deleted_names_recover(
            Lead,
            HistoricalLead,
            apps.get_model("sites", f"Historical{model}"),
            link,
            fields,
        )
        leads = []
        for lead in unlinked(Lead, link).only("pk"):
            if lead.pk in recovered:
                for field, value in recovered[lead.pk].items():
                    setattr(lead, field, value or "")
                leads.append(lead)
        Lead.objects.bulk_update(leads, list(fields), batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0011_lead_notified_to"),
        # The parks' and plots' histories (and the plots' reference).
        ("sites", "0016_listing_figures_not_negative"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicallead",
            name="park_name",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=200,
                verbose_name="business park when received",
            ),
        ),
        migrations.AddField(
            model_name="historicallead",
            name="plot_name",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=200,
                verbose_name="plot when received",
            ),
        ),
        migrations.AddField(
            model_name="historicallead",
            name="plot_reference",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=50,
                verbose_name="plot reference when received",
            ),
        ),
        migrations.AddField(
            model_name="lead",
            name="park_name",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=200,
                verbose_name="business park when received",
            ),
        ),
        migrations.AddField(
            model_name="lead",
            name="plot_name",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=200,
                verbose_name="plot when received",
            ),
        ),
        migrations.AddField(
            model_name="lead",
            name="plot_reference",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=50,
                verbose_name="plot reference when received",
            ),
        ),
        migrations.RunPython(names_fill, migrations.RunPython.noop),
    ]
