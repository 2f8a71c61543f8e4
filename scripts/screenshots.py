"""Regenerate the README's screenshots (docs/screenshots/) from the demo newsroom.

In a temporary directory the script migrates a throwaway SQLite database, loads the demo
(``manage.py load_demo``), serves it with the development server on a free port and takes
each shot with Debian's headless Chromium through Playwright (never a downloaded
browser), at the sizes the README has always used: the home page and an article at
1280 x 1600, the same article on a phone at 390 x 1400. Then it stops the server and
removes the directory, also on an error or Ctrl-C.

Run it from the repository root with the venv (``make screenshots``):

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

The viewport is as tall as the shot, so that every lazy image in it loads. The pictures
show the demo as it is today (the date line, "Nov 27"...): look at them before committing.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
# The story the README shows: a photo, two bylines, an "Updated" line.
ARTICLE_SLUG = "council-approves-northgate-tram-extension"
DESKTOP = {"width": 1280, "height": 1600}
PHONE = {"width": 390, "height": 1400}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The development server stopped (exit status {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own http://127.0.0.1
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"The development server did not answer {url} within {seconds} s.")


def article_url(base):
    with urllib.request.urlopen(base + "/") as response:  # noqa: S310 - our own server
        home = response.read().decode()
    found = re.search(rf'href="(/[^"]*/{ARTICLE_SLUG}/)"', home)
    if not found:
        sys.exit(f"The demo's home page links no article with the slug {ARTICLE_SLUG!r}.")
    return base + found.group(1)


def shoot(browser, url, viewport, path, **context):
    page = browser.new_page(viewport=viewport, color_scheme="light", **context)
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    page.screenshot(path=path)
    page.close()
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out = parser.parse_args().out.resolve()
    if not Path(CHROMIUM_PATH).exists():
        sys.exit(f"No Chromium at {CHROMIUM_PATH} (Debian: apt-get install chromium).")

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-screenshots-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "PAGE_CACHE_SECONDS": "0",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    server = None
    try:
        for command in (["migrate", "--no-input", "-v", "0"], ["load_demo"]):
            subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)  # noqa: S603
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(base + "/healthz", server)
        article = article_url(base)
        out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            shoot(browser, base + "/", DESKTOP, out / "home.png")
            shoot(browser, article, DESKTOP, out / "article.png")
            shoot(browser, article, PHONE, out / "article-mobile.png", is_mobile=True)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
