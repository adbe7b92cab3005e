import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEEDS = SHARED / "seeds"

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def index_dir(request, tmp_path):
    """Each test gets its own real on-disk index; cached searchers of other
    tests' folders are closed."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield None  # pure-function tests run with -p no:django
        return
    settings = request.getfixturevalue("settings")
    from search.index import forget_searchers

    forget_searchers()
    # Beside tmp_path, not in it: tests import whole tmp_path folders.
    path = tmp_path.parent / f"{tmp_path.name}-index"
    settings.SEARCH_BACKEND = {**settings.SEARCH_BACKEND, "PATH": path}
    yield path
    forget_searchers()


@pytest.fixture
def seeds_dir():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the project")
    return SEEDS


_historical_apps = None


def _data_migration_apps():
    """The apps registry as of the data migrations: historical models fire no
    signals, so reloading the data queues no index work."""
    global _historical_apps
    if _historical_apps is None:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        loader = MigrationExecutor(connection).loader
        _historical_apps = loader.project_state(
            [("articles", "0004_sync_gazetteer"), ("search", "0002_load_glossary")]
        ).apps
    return _historical_apps


@pytest.fixture(autouse=True)
def gazetteer_loaded(request):
    """Transactional tests flush every table after each test, the gazetteer,
    glossary and curator group (loaded by data migrations) included: load them again."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    import importlib
    from types import SimpleNamespace

    from django.db import connection

    from articles.models import City

    if City.objects.exists():
        return
    apps = _data_migration_apps()
    editor = SimpleNamespace(connection=connection)
    importlib.import_module("articles.migrations.0002_load_gazetteer").load(apps, editor)
    importlib.import_module("search.migrations.0002_load_glossary").load(apps, editor)
    importlib.import_module("articles.migrations.0003_curator_group").create_group(apps, editor)


@pytest.fixture(autouse=True)
def fresh_segmenter():
    """User words loaded by one test (directly, or by indexing with the
    gazetteer) must not change how the next test segments."""
    from search import segmenter

    saved = segmenter._current
    yield
    segmenter._current = saved
