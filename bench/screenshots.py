"""The README's screenshots: home, search, article and staff dashboard, on a phone and a desktop,
and a video page opened at a transcript line, on a desktop, in English and Japanese, taken from
the sample site a newcomer starts.

    python bench/screenshots.py [--out static/img/readme] [--only video ...]

Runs the README's quick start (`flask init --sample`, then `flask run`) on a scratch database
and photographs the pages with Debian's Chromium (HELPCENTER_CHROMIUM for another path).
Japanese needs a CJK font on this machine (`apt-get install fonts-noto-cjk`), or it shows as
boxes. Not run in CI: the pictures are committed files.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("HELPCENTER_CHROMIUM", "/usr/bin/chromium")
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
STAFF = "staff@tsumiki.example"
PASSWORD = "demo-password-2026"  # noqa: S105 - the sample site's printed demo password


@dataclass(frozen=True)
class Shot:
    name: str
    path: dict[str, str]  # by language
    instant: dict[str, str] | None = None  # words typed into the search box, by language
    staff: bool = False
    sizes: tuple[str, ...] = tuple(SIZES)
    video: bool = False  # wait until the player shows the frame at ?t=


ARTICLE = {"en": "/articles/en/reset-your-password", "ja": "/articles/ja/password-reset"}
SHOTS = (
    Shot("home", {"en": "/", "ja": "/"}, instant={"en": "reset pass", "ja": "パスワード"}),
    Shot("search", {"en": "/search?q=password", "ja": "/search?q=パスワード"}),
    Shot("article", ARTICLE),
    Shot("dashboard", {"en": "/staff/", "ja": "/staff/"}, staff=True),
    # Far enough in that the transcript panel has scrolled to the line, as from a search hit.
    Shot(
        "video",
        {"en": "/videos/en/quick-tour?t=95", "ja": "/videos/ja/quick-tour?t=95"},
        sizes=("desktop",),
        video=True,
    ),
)
PLAYER_READY = (  # the frame at ?t= is drawn, not the black box before it
    "() => { const v = document.querySelector('video');"
    " return v && v.readyState >= 4 && !v.seeking; }"
)
# Chromium's controls keep the spinner of the seek to ?t= after the frame is drawn; controls
# made afresh show the player as it is.
REDRAW_CONTROLS = (
    "() => { const v = document.querySelector('video'); v.controls = false; v.controls = true; }"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def sample_site(folder: Path) -> Iterator[str]:
    """The sample site on a scratch database, served by `flask run` until the block ends."""
    env = {
        **os.environ,
        "HELPCENTER_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'helpcenter.sqlite3'}",
        "HELPCENTER_SEARCH_INDEX_DIR": str(folder / "search-index"),
        "HELPCENTER_SECRET_KEY": secrets.token_hex(32),
    }
    flask = [sys.executable, "-m", "flask", "--app", "helpcenter"]
    init = subprocess.run(
        [*flask, "init", "--sample"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if init.returncode:
        sys.exit(f"`flask init --sample` failed:\n{init.stdout}{init.stderr}")
    port = free_port()
    server = subprocess.Popen(
        [*flask, "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def photograph(
    browser, base: str, out: Path, *, lang: str, size: str, shots: tuple[Shot, ...]
) -> list[Path]:
    """The shots taken at this size, in one language; the staff one after signing in."""
    locale = "ja-JP" if lang == "ja" else "en-US"
    context = browser.new_context(base_url=base, viewport=SIZES[size], locale=locale)
    context.add_cookies([{"name": "hc_lang", "value": lang, "url": base}])
    page = context.new_page()
    saved = []
    for shot in shots:
        if size not in shot.sizes:
            continue
        if shot.staff:
            page.goto("/signin")
            page.fill("main input[name=email]", STAFF)
            page.fill("main input[name=password]", PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_url(lambda url: "/signin" not in url)
        page.goto(shot.path[lang])
        if shot.instant:
            box = page.locator("#q-hero")
            box.press_sequentially(shot.instant[lang], delay=40)
            page.locator("#instant-hero [role=option]").first.wait_for(state="visible")
        if shot.video:
            page.wait_for_function(PLAYER_READY)
            page.evaluate(REDRAW_CONTROLS)
        page.wait_for_load_state("networkidle")
        target = out / f"{shot.name}-{lang}-{size}.png"
        page.screenshot(path=str(target), animations="disabled", caret="hide")
        saved.append(target)
    context.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "static" / "img" / "readme")
    names = [shot.name for shot in SHOTS]
    parser.add_argument("--only", nargs="+", choices=names, help="take only these shots")
    args = parser.parse_args()
    shots = tuple(shot for shot in SHOTS if not args.only or shot.name in args.only)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory() as folder,
        sample_site(Path(folder)) as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for lang in ("en", "ja"):
            for size in SIZES:
                taken = photograph(browser, base, args.out, lang=lang, size=size, shots=shots)
                for path in taken:
                    print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
        browser.close()


if __name__ == "__main__":
    main()
