"""The project as CONTRACTS.md's "Environment" promises it."""
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def settings_in_subprocess(env_overrides, expr):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "BIOPHARMA_NEWS"))}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "biopharma_news.settings"
    code = f"import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({expr}, default=str))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_defaults_keep_every_data_file_in_the_data_folder(tmp_path):
    data = tmp_path / "data"
    got = settings_in_subprocess(
        {"BIOPHARMA_NEWS_DATA": str(data)},
        "[s.DEBUG, s.ALLOWED_HOSTS, str(s.DATABASES['default']['NAME']), str(s.SEARCH_BACKEND['PATH']), str(s.MEDIA_ROOT)]",
    )
    debug, hosts, db, index, media = got
    assert debug is False
    assert hosts == ["localhost", "127.0.0.1", "[::1]"]
    for path in (db, index, media):
        assert path.startswith(str(data))
    key = data / "secret_key"
    assert key.exists() and stat.S_IMODE(key.stat().st_mode) == 0o600
    # The key is generated once and reused.
    first = key.read_text()
    settings_in_subprocess({"BIOPHARMA_NEWS_DATA": str(data)}, "1")
    assert key.read_text() == first


def test_environment_overrides(tmp_path):
    got = settings_in_subprocess(
        {
            "BIOPHARMA_NEWS_DATA": str(tmp_path),
            "DJANGO_SECRET_KEY": "from-the-environment",
            "DJANGO_DEBUG": "1",
            "DJANGO_ALLOWED_HOSTS": "news.example.org, localhost",
            "DATABASE_URL": "postgres://reader@/biopharma?host=%2Fvar%2Frun%2Fpostgresql",
            "DJANGO_SECURE_SSL": "on",
        },
        "[s.SECRET_KEY, s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['HOST'], s.DATABASES['default']['NAME'], s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS]",
    )
    assert got == ["from-the-environment", True, ["news.example.org", "localhost"],
                   "django.db.backends.postgresql", "/var/run/postgresql", "biopharma", True, 31536000]
    assert not (tmp_path / "secret_key").exists()


def test_plain_http_works_without_ssl_setting(tmp_path):
    got = settings_in_subprocess({"BIOPHARMA_NEWS_DATA": str(tmp_path)},
                                 "getattr(s, 'SECURE_SSL_REDIRECT', False)")
    assert got is False


@pytest.mark.django_db
def test_static_files_and_htmx_are_served_with_debug_off(client, settings):
    settings.DEBUG = False
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert b"mark" in b"".join(response.streaming_content)
    response.close()
    page = client.get("/").content.decode()
    assert "/static/django-htmx/" in page or "htmx" in page
    src = [part for part in page.split('"') if "htmx" in part and part.endswith(".js")]
    assert src, page[:500]
    script = client.get(src[0])
    assert script.status_code == 200
    assert b"htmx" in b"".join(script.streaming_content)
    script.close()
    assert "unpkg" not in page and "cdn" not in page.lower()


def test_migrate_alone_makes_a_working_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "BIOPHARMA_NEWS"))}
    env.update(BIOPHARMA_NEWS_DATA=str(tmp_path), DJANGO_SETTINGS_MODULE="biopharma_news.settings")
    run = lambda *a: subprocess.run([sys.executable, "manage.py", *a], cwd=ROOT, env=env, capture_output=True,
                                    text=True, timeout=300)
    assert run("migrate", "-v0").returncode == 0
    out = run("search", "", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total"] == 0
    counts = run("shell", "-c", "from articles.models import *; from search.models import GlossaryTerm; "
                 "print(District.objects.count(), Event.objects.count(), Source.objects.count(), GlossaryTerm.objects.count())")
    districts, events, sources, terms = map(int, counts.stdout.strip().splitlines()[-1].split())
    assert districts >= 16 and events >= 12 and sources >= 25 and terms >= 300
