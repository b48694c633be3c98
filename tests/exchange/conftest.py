import pytest

from exchange.opendata import open_data_write


@pytest.fixture
def open_data_root(settings, tmp_path):
    """The open-data files of this test, in a directory of its own."""
    settings.OPEN_DATA_ROOT = tmp_path / "opendata"
    return settings.OPEN_DATA_ROOT


@pytest.fixture
def open_data(demo, open_data_root):
    """The demo's open-data files, written as the background job does."""
    open_data_write(force=True)
    return open_data_root
