import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from leads import services
from leads.models import Lead
from sites.models import Contact, Organisation
from tests.factories import BusinessParkFactory
from tests.leads.conftest import form_data
from tests.leads.test_delivery import lead_data

pytestmark = pytest.mark.django_db


def test_a_plot_lead_reaches_the_plot_organisation_at_the_smtp_server(
    smtp, contacts, plot, submit
):
    response = submit(reverse("leads:plot", args=[plot.slug]))

    assert response.status_code == 302
    assert response.url == reverse("leads:thanks")
    lead = Lead.objects.get()
    assert (lead.plot, lead.park, lead.organisation.slug) == (plot, plot.park, "call")
    assert lead.recipients == ["dev@agglo-lenslievin.fr"]
    assert lead.delivery_status == Lead.Delivery.SENT
    [notification] = smtp.to("dev@agglo-lenslievin.fr")
    body = notification.get_content()
    assert "Terrain des Glissoires" in notification["Subject"]
    assert "Terrain des Glissoires" in body
    assert plot.get_absolute_url().split("/", 2)[2] in body
    assert "We look for 5 ha near the A1" in body
    assert notification["Reply-To"] == "jan@vries-logistics.nl"


def test_the_investor_gets_an_acknowledgement_in_their_language(
    smtp, contacts, plot, submit
):
    submit(reverse("leads:plot", args=[plot.slug]), language="nl")

    [acknowledgement] = smtp.to("jan@vries-logistics.nl")
    assert f"/nl/terrains/{plot.slug}/" in acknowledgement.get_content()
    # Neither 'ontwikkelaars' (property developers, to a Dutch reader) nor
    # 'die u snel zullen antwoorden'.
    assert "de adviseurs economische ontwikkeling van" in acknowledgement.get_content()
    assert "die zo spoedig mogelijk contact met u opnemen" in (
        acknowledgement.get_content()
    )
    assert len(smtp.messages) == 2


def test_a_park_lead_goes_to_the_park_organisation(smtp, contacts, submit):
    park = BusinessParkFactory(organisation=contacts["siziaf"].organisation)

    submit(reverse("leads:park", args=[park.slug]))

    lead = Lead.objects.get()
    assert (lead.park, lead.plot, lead.recipients) == (park, None, ["dev@siziaf.fr"])
    assert len(smtp.to("dev@siziaf.fr")) == 1


def test_a_general_lead_goes_to_the_pma(smtp, contacts, submit):
    submit(reverse("leads:contact"))

    assert Lead.objects.get().recipients == ["eco@pole-artois.fr"]
    assert len(smtp.to("eco@pole-artois.fr")) == 1


def test_an_organisation_without_developer_falls_back_to_the_pma(
    smtp, contacts, plot, submit
):
    contacts["call"].delete()

    submit(reverse("leads:plot", args=[plot.slug]), language="en")

    assert Lead.objects.get().recipients == ["eco@pole-artois.fr"]
    # Both emails say so: the PMA is told how to fix it, the investor who has it.
    [notification] = smtp.to("eco@pole-artois.fr")
    assert "ne reçoit les demandes d’investisseurs" in notification.get_content()
    [acknowledgement] = smtp.to("jan@vries-logistics.nl")
    pma = Organisation.objects.metropolitan().get().name
    assert f"the economic developers of {pma}," in acknowledgement.get_content()


def test_a_forged_organisation_or_recipient_in_the_post_is_ignored(
    smtp, contacts, plot, submit
):
    siziaf = contacts["siziaf"].organisation
    submit(
        reverse("leads:plot", args=[plot.slug]),
        organisation=str(siziaf.pk),
        recipients="attacker@example.com",
        to="attacker@example.com",
        plot="999",
        park="999",
        delivery_status="sent",
        spam_reason="",
    )

    lead = Lead.objects.get()
    assert (lead.organisation.slug, lead.plot) == ("call", plot)
    assert lead.recipients == ["dev@agglo-lenslievin.fr"]
    everyone = {r for envelope, _m in smtp.messages for r in envelope.rcpt_tos}
    assert everyone == {"dev@agglo-lenslievin.fr", "jan@vries-logistics.nl"}


@pytest.mark.parametrize(
    "field", ["company", "name", "country", "phone"], ids=lambda f: f
)
def test_line_breaks_in_single_line_fields_never_reach_a_mail_header(
    smtp, contacts, plot, submit, field
):
    hostile = {
        "company": "ACME\r\nBcc: x@example.com",
        "name": "Eve\nBcc: x@example.com\x00\x1b",
        "country": "France\rBcc: x@example.com\u2028",
        "phone": "+33 3\r\n21",
    }[field]

    submit(reverse("leads:plot", args=[plot.slug]), **{field: hostile})

    lead = Lead.objects.get()
    assert lead.delivery_status == Lead.Delivery.SENT
    assert not re.search(r"[\r\n\x00-\x1f]", getattr(lead, field))
    everyone = {r for envelope, _m in smtp.messages for r in envelope.rcpt_tos}
    assert "x@example.com" not in everyone
    for raw in smtp.raw():
        headers = raw.split(b"\r\n\r\n", 1)[0]
        assert not re.search(rb"(?im)^bcc:", headers)


OVERSIZED = [
    {"company": "x" * 151},
    {"name": "x" * 151},
    {"message": "x" * 5001},
    {"email": "not-an-email"},
    {"email": "jan@vries.nl\r\nBcc: x@example.com"},
    {"consent": ""},
    {"project_type": "casino"},
    {"language": "de"},
    {"surface_needed_m2": "-5"},
    {"jobs_planned": "9" * 30},
    {"phone": "call me maybe"},
    {"message": ""},
]


@pytest.mark.parametrize("bad", OVERSIZED, ids=lambda b: next(iter(b)))
def test_bad_input_is_a_form_error_and_nothing_is_saved(
    smtp, contacts, plot, submit, bad
):
    response = submit(reverse("leads:plot", args=[plot.slug]), **bad)

    assert response.status_code == 400
    field = next(iter(bad)) if next(iter(bad)) != "consent" else "consent"
    assert response.context["form"].errors[field]
    assert 'role="alert"' in response.content.decode()
    assert not Lead.objects.exists()
    assert smtp.messages == []


def test_a_post_without_csrf_token_is_refused(contacts, plot):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("leads:plot", args=[plot.slug]), form_data())

    assert response.status_code == 403
    assert not Lead.objects.exists()


def test_a_post_with_the_page_csrf_token_is_accepted(contacts, plot, smtp):
    client = Client(enforce_csrf_checks=True)
    page = client.get(plot.get_absolute_url())
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()
    ).group(1)

    response = client.post(
        reverse("leads:plot", args=[plot.slug]),
        form_data(csrfmiddlewaretoken=token),
    )

    assert response.status_code == 302
    assert Lead.objects.count() == 1


def test_a_plot_unpublished_since_its_page_was_opened_still_gets_the_lead(
    smtp, contacts, plot, submit, client
):
    plot.is_published = False
    plot.save()
    url = reverse("leads:plot", args=[plot.slug])
    assert client.get(url).status_code == 404

    response = submit(url)

    assert response.url == reverse("leads:thanks")
    lead = Lead.objects.get()
    assert (lead.plot, lead.organisation.slug) == (plot, "call")
    assert len(smtp.to("dev@agglo-lenslievin.fr")) == 1
    # Its page is gone: no link to it, in either email.
    for address in ("dev@agglo-lenslievin.fr", "jan@vries-logistics.nl"):
        [message] = smtp.to(address)
        assert plot.name in message.get_content()
        assert f"/terrains/{plot.slug}/" not in message.get_content()


def test_a_deleted_plot_leads_to_a_general_lead_for_the_pma(
    smtp, contacts, plot, submit
):
    url = reverse("leads:plot", args=[plot.slug])
    plot.delete()

    response = submit(url)

    assert response.url == reverse("leads:thanks")
    lead = Lead.objects.get()
    assert (lead.plot, lead.organisation.slug) == (None, "pma")
    assert len(smtp.to("eco@pole-artois.fr")) == 1


def test_an_unlisted_plot_with_an_error_shows_the_form_without_its_name(
    contacts, plot, submit
):
    plot.is_published = False
    plot.save()
    url = reverse("leads:plot", args=[plot.slug])

    response = submit(url, message="")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Terrain des Glissoires" not in html
    assert f'action="{url}"' in html


def test_a_deleted_park_leads_to_a_general_lead(smtp, contacts, submit):
    park = BusinessParkFactory(organisation=contacts["siziaf"].organisation)
    url = reverse("leads:park", args=[park.slug])
    park.delete()

    submit(url)

    assert Lead.objects.get().organisation.slug == "pma"


def test_a_replayed_form_is_another_lead_delivered(smtp, contacts, plot, submit):
    issued = form_data()["issued"]
    url = reverse("leads:plot", args=[plot.slug])

    for _ in range(2):
        assert submit(url, issued=issued).status_code == 302

    assert Lead.objects.filter(delivery_status="sent").count() == 2
    assert len(smtp.to("dev@agglo-lenslievin.fr")) == 2


LINE_CHARACTERS = ["\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"]
LINE_CHARACTERS += ["\u2028", "\u2029", "\x00", "\t", "\x1b", "\x7f", "\x9f"]
POISONED = [
    "jan{}@vries-logistics.nl",
    '"x{}Bcc:x@evil.example"@example.com',
    "jan@vries{}logistics.nl",
]


@pytest.mark.parametrize("place", POISONED, ids=["local", "quoted", "domain"])
@pytest.mark.parametrize("character", LINE_CHARACTERS, ids=ascii)
def test_an_address_with_a_control_character_is_refused_clearly(
    smtp, contacts, plot, submit, character, place
):
    response = submit(
        reverse("leads:plot", args=[plot.slug]), email=place.format(character)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "Une adresse électronique ne peut pas contenir de saut de ligne ni de "
        "caractère de contrôle."
    ]
    assert not Lead.objects.exists()
    assert smtp.messages == []


@pytest.mark.parametrize("character", ["\x0b", "\x1c", "\u2028"], ids=ascii)
def test_the_service_refuses_such_an_address_too(contacts, plot, character):
    data = lead_data()
    data["email"] = f'"x{character}Bcc:x@evil.example"@example.com'

    with pytest.raises(ValidationError) as refused:
        services.lead_submit(data=data, plot=plot)

    assert "email" in refused.value.message_dict
    assert not Lead.objects.exists()


def test_the_acknowledgement_quotes_nothing_of_the_sender_but_a_clean_name(
    smtp, contacts, plot, submit
):
    submit(
        reverse("leads:plot", args=[plot.slug]),
        name="Bonjour Congratulations! Claim your grant at https://evil.example",
        company="Grant Office: call +33 1 23 45 67 89",
        message="Claim your grant at https://evil.example today",
        language="fr",
    )

    [acknowledgement] = smtp.to("jan@vries-logistics.nl")
    raw = acknowledgement.as_string()
    text = acknowledgement.get_body(preferencelist=("plain",)).get_content()
    for spam in ("evil", "Congratulations", "Claim", "grant", "Grant", "+33 1"):
        assert spam not in raw
    assert text.splitlines()[0] == "Bonjour,"
    # The developers see everything, as sent.
    [notification] = smtp.to("dev@agglo-lenslievin.fr")
    assert "https://evil.example" in notification.get_content()


def test_the_acknowledgement_greets_a_person_by_name(smtp, contacts, plot, submit):
    submit(reverse("leads:plot", args=[plot.slug]), language="nl")

    [acknowledgement] = smtp.to("jan@vries-logistics.nl")
    assert acknowledgement.get_content().splitlines()[0] == "Beste Jan de Vries,"


def test_the_notification_lists_every_field_the_investor_filled_in(
    smtp, contacts, plot, submit
):
    submit(reverse("leads:plot", args=[plot.slug]), phone="", jobs_planned="")

    body = smtp.to("dev@agglo-lenslievin.fr")[0].get_content()
    for line in (
        "Nom\xa0: Jan de Vries",
        "Entreprise\xa0: Vries Logistics BV",
        "Pays\xa0: Netherlands",
        "Courriel\xa0: jan@vries-logistics.nl",
        "Téléphone\xa0: -",
        "Langue de préférence\xa0: Nederlands",
        "Type de projet\xa0: Logistique",
        "Surface recherchée (m²)\xa0: 50\xa0000",
        "Emplois prévus\xa0: -",
        "Échéance\xa0: De 6 à 12 mois",
    ):
        assert line in body, line


def test_the_notification_writes_figures_as_its_reader_does(
    smtp, contacts, plot, submit
):
    submit(
        reverse("leads:plot", args=[plot.slug]),
        surface_needed_m2="1250000",
        jobs_planned="1200",
    )

    body = smtp.to("dev@agglo-lenslievin.fr")[0].get_content()
    assert "Surface recherchée (m²)\xa0: 1\xa0250\xa0000" in body
    assert "Emplois prévus\xa0: 1\xa0200" in body


def test_each_developer_reads_the_lead_in_their_language(
    smtp, contacts, plot, submit, site_url, settings
):
    """Contact.language: "of the emails the contact gets about leads"; the
    investor's own language is theirs only."""
    dutch = contacts["call_other"]
    Contact.objects.filter(pk=dutch.pk).update(receives_leads=True, language="nl")

    submit(reverse("leads:plot", args=[plot.slug]), language="en")

    [french] = smtp.to("dev@agglo-lenslievin.fr")
    [in_dutch] = smtp.to(dutch.email)
    assert french["To"] == "dev@agglo-lenslievin.fr"
    assert in_dutch["To"] == dutch.email
    for message in (french, in_dutch):
        assert message["From"] == settings.DEFAULT_FROM_EMAIL
        assert message["Reply-To"] == "jan@vries-logistics.nl"
    # Its leading space is the fold's (an encoded subject starts a line).
    assert str(french["Subject"]).strip().startswith("Nouvelle demande de Vries")
    # French typography survives the one-line subject: a non-breaking space
    # before the colon.
    assert "Vries Logistics BV\xa0: terrain" in str(french["Subject"])
    assert str(in_dutch["Subject"]).strip().startswith("Nieuwe aanvraag van Vries")
    assert "Een investeerder heeft geschreven" in in_dutch.get_content()
    assert f"{site_url}/nl/terrains/{plot.slug}/" in in_dutch.get_content()
    assert f"{site_url}/fr/terrains/{plot.slug}/" in french.get_content()
    [acknowledgement] = smtp.to("jan@vries-logistics.nl")
    assert f"{site_url}/en/terrains/{plot.slug}/" in acknowledgement.get_content()


def test_the_investor_answering_the_acknowledgement_reaches_the_developers(
    smtp, contacts, plot, submit
):
    """The acknowledgement had no Reply-To: an investor answering it wrote to
    the portal's sending address, which no one may read."""
    submit(reverse("leads:plot", args=[plot.slug]))
    [acknowledgement] = smtp.to("jan@vries-logistics.nl")
    # The organisation's developer, named on the plot's page; not the contact
    # who does not receive leads.
    assert acknowledgement["Reply-To"] == "dev@agglo-lenslievin.fr"


def test_without_a_developer_anywhere_the_acknowledgement_names_no_one(
    smtp, contacts, plot, submit, settings
):
    Contact.objects.all().delete()
    settings.ADMINS = [("Admin", "admin@investinartois.fr")]
    submit(reverse("leads:plot", args=[plot.slug]))
    assert Lead.objects.get().recipients == ["admin@investinartois.fr"]
    [acknowledgement] = smtp.to("jan@vries-logistics.nl")
    assert acknowledgement["Reply-To"] is None
