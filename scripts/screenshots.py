"""Regenerate the README's screenshots (docs/screenshots/) from the demo newsroom.

In a temporary directory the script migrates a throwaway SQLite database, loads the demo
(``manage.py load_demo``), serves it with the development server on a free port and takes
each shot with Debian's headless Chromium through Playwright (never a downloaded
browser), at the sizes the README has always used: the home page and an article at
1280 x 1600, the same article on a phone at 390 x 1400, a story using each kind of
body block (its whole article, 1280 wide); the curated home page on a phone
and the front editor (signed in as the demo's front editor) on both; and the moderators'
queue of pending comments as the demo moderator sees it, one screen at 1280 x 800 and at
1920 x 1080. Then it stops the server and removes the directory, also on an error or
Ctrl-C.

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
# The story showing the body's blocks: inline photos, a pull quote, a fact box, a table,
# a gallery and an embed's placeholder.
BLOCKS_SLUG = "kestrel-bay-quay-reopens-to-fishing-boats"
DESKTOP = {"width": 1280, "height": 1600}
PHONE = {"width": 390, "height": 1400}
QUEUE_SCREENS = {"1280": {"width": 1280, "height": 800}, "1920": {"width": 1920, "height": 1080}}
QUEUE_PATH = "/admin/comments/readercomment/?status__exact=pending"
HOME_FRONT_PK = 1  # the first front demo/content/fronts.toml loads


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


def article_url(base, slug=ARTICLE_SLUG):
    with urllib.request.urlopen(base + "/") as response:  # noqa: S310 - our own server
        home = response.read().decode()
    found = re.search(rf'href="(/[^"]*/{slug}/)"', home)
    if not found:
        sys.exit(f"The demo's home page links no article with the slug {slug!r}.")
    return base + found.group(1)


def shoot(browser, url, viewport, path, **context):
    shoot_page(browser.new_page(viewport=viewport, color_scheme="light", **context), url, path)


def shoot_page(page, url, path):
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    page.screenshot(path=path)
    page.close()
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {url}")


def shoot_blocks(browser, url, path):
    """The story with every kind of block, from its headline to its last block: as tall
    as it is, with every lazy image scrolled to and loaded first."""
    page = browser.new_page(viewport=DESKTOP, color_scheme="light")
    page.goto(url, wait_until="networkidle")
    for image in page.locator("article img").all():
        image.scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.querySelectorAll('article img')]"
        ".every((image) => image.complete && image.naturalWidth > 0)"
    )
    page.evaluate("document.fonts.ready")
    page.locator("article.article").screenshot(path=path)
    page.close()
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {url}")


def shoot_queue(browser, base, out):
    """The moderators' queue, signed in as the demo moderator (its password is the
    demo's: DEMO_PASSWORD, newsroom-demo unless set)."""
    password = os.environ.get("DEMO_PASSWORD", "newsroom-demo")
    for width, viewport in QUEUE_SCREENS.items():
        page = browser.new_page(viewport=viewport, color_scheme="light")
        page.goto(base + QUEUE_PATH)
        page.get_by_label("Username").fill("moderator")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}{QUEUE_PATH}")
        path = out / f"moderation-queue-{width}.png"
        page.screenshot(path=path)
        page.close()
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: the queue")


def shoot_front_editor(browser, base, viewport, path, **context):
    """The home front's editor, signed in as the demo's front editor."""
    page = browser.new_page(viewport=viewport, color_scheme="light", **context)
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("fronteditor")
    page.get_by_label("Password").fill(os.environ.get("DEMO_PASSWORD", "newsroom-demo"))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    shoot_page(page, base + f"/admin/fronts/front/{HOME_FRONT_PK}/editor/", path)


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
            shoot_blocks(browser, article_url(base, BLOCKS_SLUG), out / "story-blocks.png")
            shoot(browser, base + "/", PHONE, out / "home-mobile.png", is_mobile=True)
            shoot_front_editor(browser, base, DESKTOP, out / "front-editor.png")
            shoot_front_editor(
                browser, base, PHONE, out / "front-editor-mobile.png", is_mobile=True
            )
            shoot_queue(browser, base, out)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
