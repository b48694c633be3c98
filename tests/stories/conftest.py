import pytest

from stories.demo import stories_demo_load


@pytest.fixture
def content(demo):
    """The report's sectors, stories and innovation park, on the demo parks."""
    stories_demo_load()
