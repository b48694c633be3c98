"""Working days in France: Monday to Friday, without the public holidays."""

from datetime import date, timedelta
from functools import lru_cache

from django.utils import timezone


def easter_sunday(year):
    """Gregorian Easter (the anonymous algorithm of 1876, as given by Meeus)."""
    golden = year % 19
    century, year_in_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century + 8) // 25
    moon = (
        19 * golden + century - leap_centuries - (century - correction + 1) // 3 + 15
    ) % 30
    quarters, year_rest = divmod(year_in_century, 4)
    weekday = (32 + 2 * century_rest + 2 * quarters - moon - year_rest) % 7
    shift = (golden + 11 * moon + 22 * weekday) // 451
    month, day = divmod(moon + weekday - 7 * shift + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=16)
def french_public_holidays(year):
    """The eleven public holidays of metropolitan France (Code du travail,
    L3133-1); Alsace-Moselle's two extra days do not apply in the Artois."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [easter + timedelta(days=offset) for offset in (1, 39, 50)]
    return frozenset([date(year, month, day) for month, day in fixed] + movable)


def is_working_day(day):
    return day.weekday() < 5 and day not in french_public_holidays(day.year)


def working_days_before(moment, count):
    """The same local time of day, `count` working days earlier: a lead received
    before it has waited at least `count` whole working days."""
    moment = timezone.localtime(moment)
    while count:
        moment -= timedelta(days=1)  # wall-clock arithmetic: DST-safe
        if is_working_day(moment.date()):
            count -= 1
    return moment
