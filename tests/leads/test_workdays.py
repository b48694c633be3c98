"""Working days: weekends and French public holidays do not count."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from leads.workdays import (
    easter_sunday,
    french_public_holidays,
    is_working_day,
    working_days_before,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(month, day):
    return datetime(2026, month, day, 8, tzinfo=PARIS)


@pytest.mark.parametrize(
    "easter",
    [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
        date(2038, 4, 25),
        date(2285, 3, 22),
    ],  # fmt: skip
)
def test_easter(easter):
    assert easter_sunday(easter.year) == easter


def test_the_eleven_public_holidays_of_2026():
    assert sorted(french_public_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),  # Ascension
        date(2026, 5, 25),  # Whit Monday
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 13), True),  # Friday
        (date(2026, 3, 14), False),  # Saturday
        (date(2026, 3, 15), False),  # Sunday
        (date(2026, 5, 14), False),  # Ascension Thursday
        (date(2026, 5, 15), True),
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("now", "two_working_days_before"),
    [
        # Wednesday: Monday, same time.
        (paris(3, 11), paris(3, 9)),
        # Monday: over the weekend, to Thursday.
        (paris(3, 16), paris(3, 12)),
        # Sunday: Friday is one, Thursday two.
        (paris(3, 15), paris(3, 12)),
        # Tuesday after Easter Monday: Friday and Thursday.
        (paris(4, 7), paris(4, 2)),
        # Across the change to summer time (29 March 2026): still 08:00 local.
        (paris(3, 31), paris(3, 27)),
    ],
)  # fmt: skip
def test_two_working_days_before(now, two_working_days_before):
    assert working_days_before(now, 2) == two_working_days_before
