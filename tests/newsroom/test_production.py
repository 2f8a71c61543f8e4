"""What production needs from the application: health checks, graceful failure when
the database or the cache is gone, security headers, and throttled admin logins."""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from comments import throttle
from newsroom import views
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_degraded_but_up_without_the_cache(client):
    with mock.patch.object(cache, "get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "unavailable"


def test_healthz_is_503_without_the_database(client):
    with mock.patch.object(
        views.connection, "cursor", side_effect=OperationalError("could not connect")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_readers_get_a_styled_503_when_the_database_is_down(article):
    reader = Client(raise_request_exception=False)
    with mock.patch(
        "articles.pages.STORY_AT",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = reader.get(article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "back in a moment" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_other_errors_get_the_500_page(article):
    reader = Client(raise_request_exception=False)
    with mock.patch("articles.pages.STORY_AT", side_effect=RuntimeError):
        response = reader.get(article.get_absolute_url())
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_flood_control_lets_comments_through_when_the_cache_is_down():
    # django-redis answers None instead of raising when it ignores a connection error.
    with mock.patch.object(throttle.cache, "add", return_value=None):
        assert not throttle.seconds_to_wait([("client", "1/15s", "203.0.113.9")])
        assert not throttle.seconds_to_wait([("client", "1/15s", "203.0.113.9")])


def test_flood_control_holds_while_the_cache_is_up():
    assert not throttle.seconds_to_wait([("client", "1/15s", "203.0.113.9")])
    assert throttle.seconds_to_wait([("client", "1/15s", "203.0.113.9")])


def test_pages_send_the_security_headers(client, article):
    response = client.get(article.get_absolute_url())
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_what_other_sites_may_embed_carries_no_resource_policy(client, article):
    for path in (reverse("articles:feed"), "/sitemap.xml"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Cross-Origin-Resource-Policy" not in response, path


def test_public_pages_have_no_inline_scripts(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    for script in html.split("<script")[1:]:
        opening = script.split(">", 1)[0]
        assert "src=" in opening or 'type="application/ld+json"' in opening, opening


def test_admin_login_locks_out_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="editor1", password="right-password")
    login = reverse("admin:login")
    for _ in range(3):
        response = client.post(login, {"username": "editor1", "password": "wrong"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    # Even the right password is refused during the cool-off.
    response = client.post(login, {"username": "editor1", "password": "right-password"})
    assert response.status_code == 429


def test_lockout_does_not_reveal_whether_a_username_exists(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="real-user", password="right-password")
    login = reverse("admin:login")
    answers = []
    for username in ("real-user", "no-such-user"):
        other = Client(REMOTE_ADDR=f"198.51.100.{len(answers) + 1}")
        for _ in range(2):
            response = other.post(login, {"username": username, "password": "wrong"})
        answers.append(
            (response.status_code, "Too many failed sign-ins" in response.content.decode())
        )
    assert answers[0] == answers[1] == (429, True)


def test_lockout_is_per_client_too(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    login = reverse("admin:login")
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for username in ("a", "b"):
        response = attacker.post(login, {"username": username, "password": "wrong"})
    assert response.status_code == 429
    assert attacker.post(login, {"username": "c", "password": "x"}).status_code == 429


def run_django(code, **env):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings.test", **env},
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_the_admin_address_is_configurable():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    assert run_django(code) == "/admin/"
    assert run_django(code, ADMIN_URL="newsroom-desk/") == "/newsroom-desk/"


def test_a_gunicorn_worker_leaves_the_loaded_application_out_of_garbage_collection():
    """gunicorn.conf.py's post_worker_init freezes what the worker has loaded, so the
    collector's full passes no longer walk Django's and the project's every object."""
    code = (
        "import gc, runpy; before = gc.get_freeze_count(); "
        "runpy.run_path('gunicorn.conf.py')['post_worker_init'](None); "
        "print(before, gc.get_freeze_count() > 50_000)"
    )
    assert run_django(code) == "0 True"


def test_production_settings_pass_the_deployment_checks():
    code = (
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING'); print('passed')"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789",
        "ALLOWED_HOSTS": "news.example.com",
    }
    assert run_django(code, **env) == "passed"


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod", "ALLOWED_HOSTS": "x"},
    )
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_uploads_go_to_local_disk_by_default_and_to_s3_when_a_bucket_is_set():
    code = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, getattr(s, 'bucket_name', '-'), getattr(s, 'endpoint_url', '-'))"
    )
    assert run_django(code) == "MediaStorage - -"
    s3 = run_django(
        code,
        MEDIA_S3_BUCKET="newsroom-media",
        MEDIA_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert s3 == "S3Storage newsroom-media http://127.0.0.1:9000"
