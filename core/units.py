"""Conversion factors between the measures the portal shows, in one place."""

SQUARE_METRES_PER_HECTARE = 10_000
ACRES_PER_HECTARE = 2.4710538
SQUARE_FEET_PER_HECTARE = 107_639.1
MILES_PER_KILOMETRE = 0.621371
