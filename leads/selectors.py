from sites.models import BusinessPark, Contact, Organisation, Plot

GENERAL_ORGANISATION = "pma"  # general leads go to the metropolitan pole


def plot_for_lead(slug):
    return (
        Plot.objects.published()
        .select_related("park__organisation")
        .only("name", "slug", "park__name", "park__slug", "park__organisation")
        .get(slug=slug)
    )


def park_for_lead(slug):
    return (
        BusinessPark.objects.filter(is_published=True)
        .select_related("organisation")
        .only("name", "slug", "organisation")
        .get(slug=slug)
    )


def general_organisation():
    return Organisation.objects.get(slug=GENERAL_ORGANISATION)


def lead_recipients(organisation):
    """The addresses of the organisation's contacts who receive leads; the PMA's
    when it has none, so that no lead is left without a reader."""
    contacts = Contact.objects.filter(receives_leads=True).order_by("pk")
    emails = contacts.values_list("email", flat=True)
    return list(emails.filter(organisation=organisation)) or list(
        emails.filter(organisation__slug=GENERAL_ORGANISATION)
    )


def leads_with_relations(queryset):
    """For lists and exports: what a row shows, in one query."""
    return queryset.select_related("organisation", "plot", "park", "assignee")
