"""A real varnishd running the shipped deploy/varnish.vcl, for the tests that need one:
tests/newsroom/test_varnish.py (in front of a fake app) and
tests/newsroom/test_varnish_stack.py (in front of gunicorn).

The shipped file is rendered with only what a deployment changes (the app's port, the
site's host name in the health probe) and run on a free port. A missing varnishd (or
vmod xkey) fails the test; it never skips.
"""

import contextlib
import functools
import http.client
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import answers, free_port, stop, wait_until

REPO_ROOT = Path(__file__).resolve().parents[1]
SHIPPED = REPO_ROOT / "deploy" / "varnish.vcl"
SHIPPED_HOST = "news.example.com"  # the site's host name in the shipped file's probe
PROBE = "Varnish health probe"  # the probe's User-Agent


def render(shipped, *, app_port, host=SHIPPED_HOST):
    """The shipped VCL, with only the app's address and the probe's Host changed."""
    config, count = re.subn(
        r'(\.host = "127\.0\.0\.1";\s*\.port = )"8000";', rf'\1"{app_port}";', shipped
    )
    assert count == 1, 'deploy/varnish.vcl no longer has .host = "127.0.0.1"; .port = "8000";'
    config, count = re.subn(rf'"Host: {re.escape(SHIPPED_HOST)}"', f'"Host: {host}"', config)
    assert count == 1, f'deploy/varnish.vcl no longer has the probe line "Host: {SHIPPED_HOST}"'
    return config


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name):
        return self.headers.get(name)

    @property
    def text(self):
        return self.body.decode(errors="replace")


@dataclass
class Varnish:
    """A running varnishd, and requests to it as nginx and the app send them."""

    port: int
    name: Path
    host: str = SHIPPED_HOST

    def request(self, method, url, *, headers=None, body=None, source="127.0.0.1"):
        """A request as nginx sends it: the site's host, HTTPS, the reader's address."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=20, source_address=(source, 0)
        )
        sent = {"Host": self.host, "X-Forwarded-Proto": "https", **(headers or {})}
        try:
            connection.request(method, url, body=body, headers=sent)
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def purge(self, *, hard=None, soft=None, source="127.0.0.1", headers=None):
        keys = {}
        if hard:
            keys["xkey-purge"] = hard
        if soft:
            keys["xkey-softpurge"] = soft
        # Straight from the app: no Host of the site, no proxy in between.
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=20, source_address=(source, 0)
        )
        try:
            connection.request("PURGE", "/", headers={**keys, **(headers or {})})
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()

    def adm(self, *command):
        return subprocess.run(
            ["varnishadm", "-n", str(self.name), *command],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout

    def backend_health(self):
        return "sick" if re.search(r"\bsick\b", self.adm("backend.list")) else "healthy"


PORT_ATTEMPTS = 3


def started_or_ended(process, varnish):
    """Whether varnishd has exited, or its child runs and its port answers."""
    if process.poll() is not None:
        return True
    return "running" in varnish.adm("status") and answers(varnish.port)


@contextlib.contextmanager
def running_varnishd(work, *, app_port, host=SHIPPED_HOST):
    """varnishd with the shipped VCL in front of the app on `app_port`, on a free port.

    A free port can be taken by another test's server before varnishd listens on it (its
    manager opens the socket again when it starts the child): then the port answers but
    varnishd exits, so it counts as started only once its child runs and it still lives,
    and it is tried again on another port.
    """
    if not shutil.which("varnishd"):
        pytest.fail("This test needs varnishd (Debian: apt-get install varnish varnish-modules)")
    vcl = work / "varnish.vcl"
    vcl.write_text(render(SHIPPED.read_text(), app_port=app_port, host=host))
    name = work / "instance"
    for _attempt in range(PORT_ATTEMPTS):
        port = free_port()
        log = (work / "varnishd.log").open("wb")
        # -j none: as root, varnishd would otherwise drop to the varnish user, who cannot
        # read pytest's temporary folders. Everything else is as in production.
        process = subprocess.Popen(
            [
                *("varnishd", "-F", "-j", "none", "-n", str(name)),
                *("-a", f"127.0.0.1:{port}", "-f", str(vcl), "-s", "malloc,32m"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        varnish = Varnish(port=port, name=name, host=host)
        try:
            wait_until(functools.partial(started_or_ended, process, varnish), "varnishd")
            if process.poll() is None:
                yield varnish
                return
            output = (work / "varnishd.log").read_text()
            if "Address already in use" not in output:
                pytest.fail(f"varnishd did not start:\n{output[-3000:]}")
        finally:
            stop(process)
            log.close()
    pytest.fail(f"varnishd found no free port in {PORT_ATTEMPTS} attempts")
