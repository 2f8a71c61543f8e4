"""The shipped nginx config, deploy/nginx.conf, in front of the site.

The test renders the shipped file with only what a deployment changes (ports, the
certificate, the media folder, the app server's address), runs a real nginx with it on
free ports in front of gunicorn with the production settings (on a SQLite file of its
own, so pytest-django's test database is not used), and talks to it over HTTP and TLS
(with a self-signed certificate made by openssl). A missing nginx or openssl fails the
test; it never skips.
"""

import contextlib
import html
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.servers import answers, free_port, start_gunicorn, stop, stop_gunicorn, wait_until

REPO_ROOT = Path(__file__).resolve().parents[2]
SHIPPED = REPO_ROOT / "deploy" / "nginx.conf"
HOST = "news.example.com"
UPLOAD_LIMIT_BYTES = 25 * 1024 * 1024
HEADLINE = "Harbour tunnel opens to traffic"
EDITOR_PASSWORD = secrets.token_urlsafe(12)
AD_TARGET = "https://ferry.example/timetable"


def render(shipped, *, http_port, https_port, app_port, cert, key, media_root):
    """The shipped server blocks, changed only where a deployment changes them."""
    replacements = [
        (r"listen \[::\]:\d+[^;]*;\n", ""),  # loopback IPv4 only
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
        # The shipped upstream is Varnish (deploy/varnish.vcl, tested on its own); here
        # nginx talks to gunicorn directly, as it does on a site run without Varnish.
        (r"server 127\.0\.0\.1:6081", f"server 127.0.0.1:{app_port}"),
        (r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};"),
        (r"alias /srv/newsroom/media/;", f"alias {media_root}/;"),
        # The HTTP redirect goes to the standard port; here HTTPS listens on another.
        (
            r"return 301 https://\$host\$request_uri;",
            f"return 301 https://$host:{https_port}$request_uri;",
        ),
    ]
    config = shipped
    for pattern, replacement in replacements:
        config, count = re.subn(pattern, replacement, config)
        assert count, f"deploy/nginx.conf no longer has {pattern!r}"
    return config


SEED = f"""
import json
HEADLINE = {HEADLINE!r}
from tests.factories import ArticleFactory, UserFactory
article = ArticleFactory(headline=HEADLINE)
UserFactory(username="night-editor", password={EDITOR_PASSWORD!r}, groups=["Editor"])
from django.urls import reverse
from ads.models import Placement
from ads.signing import CLICK_SALT, IMPRESSION_SALT, make_token
from tests.factories import CreativeFactory
creative = CreativeFactory(target_url={AD_TARGET!r}, placements=["sidebar-top"])
placement = Placement.objects.get(key="sidebar-top")
ad = [creative.pk, placement.pk]
print(json.dumps({{
    "article_url": article.get_absolute_url(),
    "click_url": reverse("ads:click", args=[make_token(*ad, salt=CLICK_SALT)]),
    "impression_url": reverse("ads:impression", args=[make_token(*ad, salt=IMPRESSION_SALT)]),
}}))
"""


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, f"{command[:3]} failed:\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """gunicorn with the production settings (on a SQLite file) behind the shipped nginx."""
    for program in ("nginx", "openssl"):
        if not shutil.which(program):
            pytest.fail(f"This test needs {program}  (Debian: apt-get install nginx-light openssl)")
    work = tmp_path_factory.mktemp("nginx")
    media_root = work / "media"
    (media_root / "photos").mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "TRUSTED_PROXIES": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{work}/db.sqlite3",
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(work / "static"),
        "EMAIL_URL": "dummymail://",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--no-input"], cwd=REPO_ROOT, env=env)
    run([*manage, "collectstatic", "--no-input", "-v", "0"], cwd=REPO_ROOT, env=env)
    seed = json.loads(run([*manage, "shell", "-c", SEED], cwd=REPO_ROOT, env=env).splitlines()[-1])

    cert, key = work / "cert.pem", work / "key.pem"
    run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ]
    )
    ports = {"app": free_port(), "http": free_port(), "https": free_port()}
    servers = render(
        SHIPPED.read_text(),
        http_port=ports["http"],
        https_port=ports["https"],
        app_port=ports["app"],
        cert=cert,
        key=key,
        media_root=media_root,
    )
    conf = work / "nginx.conf"
    # As root, nginx's workers would drop to "nobody", who cannot read pytest's tmp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\n"
        f"error_log {work}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        + "".join(
            f"  {kind}_temp_path {work}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + servers
        + "\n}\n"
    )
    run(["nginx", "-t", "-p", str(work), "-c", str(conf)])

    with contextlib.ExitStack() as started:
        app = start_gunicorn(env, ports["app"], work / "gunicorn.log")
        started.callback(stop_gunicorn, app)
        proxy = subprocess.Popen(["nginx", "-p", str(work), "-c", str(conf)])
        started.callback(stop, proxy)
        wait_until(lambda: answers(ports["http"]), "nginx")
        wait_until(lambda: answers(ports["app"]), "gunicorn")
        yield {
            **ports,
            **seed,
            "cert": cert,
            "media_root": media_root,
            "database": work / "db.sqlite3",
            "gunicorn_log": work / "gunicorn.log",
        }


def request(nginx, method, path, *, tls=True, body=None, headers=None, source="127.0.0.1"):
    """One request to nginx, from `source`: any 127.x.y.z address is this machine, so a
    test can be many clients."""
    if tls:
        context = ssl.create_default_context(cafile=str(nginx["cert"]))
        connection = http.client.HTTPSConnection(
            "127.0.0.1", nginx["https"], context=context, timeout=10, source_address=(source, 0)
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", nginx["http"], timeout=10)
    connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = connection.getresponse()
    response.text = response.read().decode(errors="replace")
    connection.close()
    return response


def test_plain_http_is_sent_to_https_with_the_same_path(nginx):
    response = request(nginx, "GET", "/latest/?page=2", tls=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}:{nginx['https']}/latest/?page=2"


def test_pages_are_served_over_tls_through_the_proxy(nginx):
    response = request(nginx, "GET", nginx["article_url"])
    # 200, not a redirect loop: Django sees the request as HTTPS (X-Forwarded-Proto)
    # and for the site's own host name (Host passed on).
    assert response.status == 200, response.text[:500]
    assert HEADLINE in response.text
    assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")


def test_uploaded_media_is_served_from_disk_and_never_run(nginx):
    (nginx["media_root"] / "photos" / "harbour.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    response = request(nginx, "GET", "/media/photos/harbour.jpg")
    assert response.status == 200
    assert response.getheader("Content-Type") == "image/jpeg"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in response.getheader("Content-Security-Policy")
    assert "max-age=2592000" in response.getheader("Cache-Control")
    assert request(nginx, "GET", "/media/photos/missing.jpg").status == 404


def test_oversized_uploads_are_refused_by_the_proxy(nginx):
    response = request(
        nginx,
        "POST",
        "/comments/post/",
        body=b"x" * (UPLOAD_LIMIT_BYTES + 1),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert response.status == 413


def test_a_comment_too_big_for_the_app_comes_back_on_the_styled_400_page(nginx):
    """Between the app's limit (5 MB) and the proxy's (25 MB), gunicorn reads the start of
    the refused body back from the socket, so the reader can copy what they typed."""
    typed = "The tunnel saves me an hour a day & more <b>really</b>."
    body = urlencode({"name": "Rosa", "comment": typed + " x" * (3 * 1024 * 1024)}).encode()
    response = request(
        nginx,
        "POST",
        "/comments/post/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 400
    assert "We could not read what was sent" in response.text
    assert html.escape(typed, quote=False) in response.text
    assert "no-store" in response.getheader("Cache-Control")
    assert request(nginx, "GET", nginx["article_url"]).status == 200


def test_slow_clients_never_hold_the_app_servers_workers(nginx):
    """nginx reads whole requests before passing them on: clients that trickle their
    comments tie up none of gunicorn's workers (sync, one request each), while straight
    to gunicorn they do: the comment view reads the form, and waits for the rest."""
    workers = 1  # as tests/servers.py starts gunicorn here

    def trickle(port, tls):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        if tls:
            context = ssl.create_default_context(cafile=str(nginx["cert"]))
            sock = context.wrap_socket(sock, server_hostname=HOST)
        # As nginx would pass it on (X-Forwarded-Proto: https, from a trusted proxy): no
        # redirect to HTTPS answers it before the view reads the form.
        sock.sendall(
            f"POST /comments/post/ HTTP/1.1\r\nHost: {HOST}\r\nX-Forwarded-Proto: https\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
            "name=Slow".encode()
        )
        return sock

    slow = [trickle(nginx["https"], tls=True) for _ in range(workers * 8)]
    try:
        assert request(nginx, "GET", "/healthz").status == 200
    finally:
        for sock in slow:
            sock.close()

    slow = [trickle(nginx["app"], tls=False) for _ in range(workers)]
    direct = http.client.HTTPConnection("127.0.0.1", nginx["app"], timeout=2)
    try:
        with pytest.raises(TimeoutError):
            direct.request("GET", "/healthz", headers={"Host": HOST})
            direct.getresponse()
    finally:
        direct.close()
        for sock in slow:
            sock.close()


def test_a_500_reaches_the_reader_as_the_styled_page_and_the_log_with_its_traceback(nginx):
    # A row no code path expects (SQLite keeps whatever it is given): a bug, not an outage.
    database = sqlite3.connect(nginx["database"])
    update = "UPDATE articles_article SET published_at = ? WHERE headline = ?"
    (good,) = database.execute(
        "SELECT published_at FROM articles_article WHERE headline = ?", [HEADLINE]
    ).fetchone()
    with database:
        database.execute(update, ["2000-13-45 00:00:00", HEADLINE])
    try:
        response = request(nginx, "GET", "/latest/?from=the-500-test")
    finally:
        with database:
            database.execute(update, [good, HEADLINE])
        database.close()
    assert response.status == 500
    assert "Something went wrong on our side" in response.text
    assert "Traceback" not in response.text
    log = nginx["gunicorn_log"].read_text()
    assert "Internal Server Error: /latest/" in log
    # Django's records carry their time, process, level and logger, as gunicorn's own do.
    stamp = r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\]"
    assert re.search(stamp + r" \[ERROR\] django\.request: Internal Server Error: /latest/", log)
    logged = log.rsplit("Internal Server Error: /latest/", 1)[1]
    assert "Traceback (most recent call last)" in logged
    assert "ValueError" in logged
    assert request(nginx, "GET", "/latest/?from=the-500-test").status == 200


def test_purges_are_refused_at_the_front_door(nginx):
    response = request(nginx, "PURGE", "/", headers={"xkey-purge": "latest"})
    assert response.status == 405
    assert '"PURGE ' not in nginx["gunicorn_log"].read_text()


def test_static_files_have_hashed_names_far_future_caching_and_compression(nginx):
    page = request(nginx, "GET", nginx["article_url"]).text
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "pages link the hashed stylesheet"
    response = request(nginx, "GET", stylesheet[1], headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    cache_control = response.getheader("Cache-Control")
    assert "max-age=315360000" in cache_control
    assert "immutable" in cache_control


def admin_login(nginx, username, password, *, source):
    """A new browser at `source` signs in as the admin's form does (CSRF token and cookie)."""
    page = request(nginx, "GET", "/admin/login/", source=source)
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": "/admin/",
        }
    )
    return request(
        nginx,
        "POST",
        "/admin/login/",
        body=body,
        source=source,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": f"https://{HOST}",
        },
    )


def test_wrong_passwords_from_many_addresses_do_not_lock_the_editor_out(nginx):
    """Found by attacking this stack: five wrong passwords from five addresses locked the
    username for everyone. Now each client is locked, and the owner still signs in."""
    for n in range(2, 7):
        answer = admin_login(nginx, "night-editor", "guess", source=f"127.0.1.{n}")
        assert answer.status == 200 and "Please enter the correct username" in answer.text

    owner = admin_login(nginx, "night-editor", EDITOR_PASSWORD, source="127.0.2.1")
    assert owner.status == 302, owner.text[:500]
    assert owner.getheader("Location") == "/admin/"

    hammering = "127.0.3.1"
    for _ in range(5):
        answer = admin_login(nginx, "night-editor", "guess", source=hammering)
    assert answer.status == 429 and "Too many failed sign-ins" in answer.text
    answer = admin_login(nginx, "night-editor", EDITOR_PASSWORD, source=hammering)
    assert answer.status == 429 and "Too many failed sign-ins" in answer.text
    assert answer.getheader("Retry-After") == "900"


def ad_figures(nginx):
    """(impressions, clicks) counted, over every day and ad, read from the app's database."""
    with contextlib.closing(sqlite3.connect(nginx["database"])) as database:
        row = database.execute("SELECT SUM(impressions), SUM(clicks) FROM ads_dailystat").fetchone()
    return tuple(n or 0 for n in row)


def test_ad_figures_cannot_be_inflated_through_the_proxy(nginx):
    """Found by attacking this stack: 20 GETs of one click link counted 20 clicks, a new
    User-Agent made a new reader, and a beacon sent from another site counted. Through
    the proxy a client cannot make itself new readers with any header it sends either:
    the address is the one nginx saw (X-Forwarded-For is only believed from nginx)."""
    reader = "127.0.4.1"
    for n in range(20):
        disguise = {
            "User-Agent": f"Mozilla/5.0 (X11; Linux x86_64) Firefox/{100 + n}.0",
            "X-Forwarded-For": f"198.51.100.{n}",
            "X-Real-IP": f"198.51.100.{n}",
        }
        click = request(nginx, "GET", nginx["click_url"], source=reader, headers=disguise)
        assert (click.status, click.getheader("Location")) == (302, AD_TARGET)
        beacon = request(
            nginx,
            "POST",
            nginx["impression_url"],
            source=reader,
            headers={**disguise, "Origin": f"https://{HOST}", "Sec-Fetch-Site": "same-origin"},
        )
        assert beacon.status == 204, beacon.text[:300]
    assert ad_figures(nginx) == (1, 1)

    from_elsewhere = request(
        nginx,
        "POST",
        nginx["impression_url"],
        source="127.0.4.2",
        headers={
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0",
            "Origin": "https://evil.example",
            "Sec-Fetch-Site": "cross-site",
        },
    )
    assert from_elsewhere.status == 403
    assert ad_figures(nginx) == (1, 1)
