"""What the eye reads on the forms, in a real browser: layout the markup's
tests cannot see."""

from django.urls import reverse

from sites.models import Plot

CHECKBOXES = """() => [...document.querySelectorAll("input[type=checkbox]")]
  .filter(box => box.offsetParent !== null && box.labels.length)
  // A box inside its label (the map's layer switch) is laid out with it.
  .filter(box => !box.labels[0].contains(box))
  .map(box => {
    const own = box.getBoundingClientRect();
    const name = box.labels[0].getBoundingClientRect();
    const middle = (own.top + own.bottom) / 2;
    return {
      id: box.id,
      // Right of the box, its first line level with it (a long name wraps).
      beside: name.left >= own.right - 1 &&
        middle > name.top - 4 && middle < name.top + 28,
      label: box.labels[0].textContent.trim(),
    };
  })"""


def test_each_checkbox_sits_beside_its_name(browse):
    """On the search form the filters' boxes sat alone on a line, their
    names centred under them with a colon (a rule for the other fields'
    stacked label and input won over the checkboxes' own): the box now
    comes first, its name right after it on the same line, without a colon.
    The contact form on a plot page and the alert form likewise."""
    plot = Plot.objects.published().order_by("pk").first()
    visit = browse()
    seen = []
    for path in (
        reverse("sites:search"),
        plot.get_absolute_url(),
        reverse("alerts:subscribe") + "?surface_min=2",
    ):
        visit.goto(path)
        boxes = visit.page.evaluate(CHECKBOXES)
        seen += boxes
        assert [box for box in boxes if not box["beside"]] == [], path
        assert [box for box in boxes if box["label"].endswith(":")] == [], path
    assert {"id_rail", "id_canal", "id_icpe"} <= {box["id"] for box in seen}
    assert visit.errors == []
