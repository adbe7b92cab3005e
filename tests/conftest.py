import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEEDS = SHARED / "seeds"

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def index_dir(tmp_path, settings):
    """Each test gets its own real on-disk index; cached searchers of other
    tests' folders are closed."""
    from search.index import forget_searchers

    forget_searchers()
    settings.SEARCH_BACKEND = {**settings.SEARCH_BACKEND, "PATH": tmp_path / "index"}
    yield tmp_path / "index"
    forget_searchers()


@pytest.fixture
def seeds_dir():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the project")
    return SEEDS
