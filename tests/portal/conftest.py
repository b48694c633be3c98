# The footer and sitemap tests need the stories' content as well as the demo.
from tests.stories.conftest import content  # noqa: F401
