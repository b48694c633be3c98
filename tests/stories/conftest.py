import pytest


@pytest.fixture
def content(demo_stories):
    """The report's sectors, stories and innovation park, on the demo parks."""
