"""Settings for the test suite: a throw-away data folder, plain static storage."""
import os
import tempfile

os.environ.setdefault("BIOPHARMA_NEWS_DATA", tempfile.mkdtemp(prefix="biopharma-tests-"))

from biopharma_news.settings import *  # noqa: E402,F401,F403
from biopharma_news.settings import STORAGES  # noqa: E402

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
