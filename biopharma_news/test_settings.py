"""Settings for the test suite: a throw-away data folder, plain static storage."""
import os
import tempfile

os.environ.setdefault("BIOPHARMA_NEWS_DATA", tempfile.mkdtemp(prefix="biopharma-tests-"))

from biopharma_news.settings import *  # noqa: E402,F401,F403
from biopharma_news.settings import DATA_DIR, DATABASES, STORAGES  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: multi-process tests run other processes against it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests change versions behind a process's back (rolled-back transactions):
# re-read them on every search rather than at most once a second.
SEARCH_BACKEND = {**SEARCH_BACKEND, "VERSION_CHECK_SECONDS": 0}  # noqa: F405
