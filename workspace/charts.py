"""The dashboard's charts, drawn on the server as SVG.

Three stacked-column charts from figures the dashboard already reads: no
JavaScript library to vendor, nothing for the CSP to allow, and the staff
member's table stays beside each chart for screen readers and copying. Only
geometry is computed here; the template (admin/workspace/_chart.html) writes
the SVG, so every label is escaped like any other text.
"""

from dataclasses import dataclass, field
from math import floor, log10

# Okabe and Ito's palette, told apart with the common colour-vision
# deficiencies; each series also has its name in the legend and in a tooltip.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")

WIDTH = 640
HEIGHT = 240
LEFT = 40  # room for the value axis
BOTTOM = 40  # room for the category labels
TOP = 10
TICKS = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str  # "CALL, March 2026: 4"


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass
class Chart:
    bars: list[Bar] = field(default_factory=list)
    categories: list[Tick] = field(default_factory=list)  # x positions
    values: list[Tick] = field(default_factory=list)  # y positions
    legend: list[tuple[str, str]] = field(default_factory=list)  # colour, name
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM

    @property
    def is_empty(self):
        return not self.bars


def nice_ceiling(value):
    """The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1), so the
    value axis reads in round numbers."""
    if value <= 1:
        return 1
    magnitude = 10 ** floor(log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    raise AssertionError("unreachable")


def stacked_columns(categories, series, *, number=str):
    """A column per category, each series stacked in the order given.

    `categories` are the column labels; `series` maps a series name to one
    value per category. `number` formats the axis and tooltip values in the
    staff member's locale.
    """
    series = {name: values for name, values in series.items() if any(values)}
    chart = Chart(
        legend=[(PALETTE[i % len(PALETTE)], name) for i, name in enumerate(series)]
    )
    if not series:
        return chart
    totals = [sum(column) for column in zip(*series.values(), strict=True)]
    top = nice_ceiling(max(totals))
    plot_height = chart.baseline - TOP
    scale = plot_height / top
    slot = (WIDTH - LEFT) / len(categories)
    width = slot * 0.7
    for index, label in enumerate(categories):
        x = LEFT + index * slot + (slot - width) / 2
        chart.categories.append(Tick(LEFT + (index + 0.5) * slot, label))
        y = chart.baseline
        for (colour, name), values in zip(chart.legend, series.values(), strict=True):
            value = values[index]
            if not value:
                continue
            height = value * scale
            y -= height
            chart.bars.append(
                Bar(x, y, width, height, colour, f"{name}, {label}: {number(value)}")
            )
    for step in range(TICKS + 1):
        value = top * step / TICKS
        if value != int(value):
            continue  # no half leads on the axis
        chart.values.append(Tick(chart.baseline - value * scale, number(int(value))))
    return chart
