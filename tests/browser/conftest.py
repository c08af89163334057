"""Fixtures for the widget's browser tests: a real bot server, a hostile host page, Chromium.

The bot runs ``create_app`` under werkzeug's threaded server on a free loopback
port, on a small content folder written here (so the tests do not depend on the
topic files others are editing). The host page is served from a *different*
origin, the way a hospital site embeds the widget, so CORS is exercised for real.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

from bot.server.app import create_app
from bot.settings import Settings
from tests.conftest import write_content

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = REPO / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "tests" / "artifacts"

MARKUP_TOPIC = """\
id: markup-test
title: Markuposis
kind: condition
also_called: [markuposis syndrome]
reviewed: 2026-01-15
related: []
sources:
  src:
    title: "<b>Bold</b> source"
    publisher: Test Publisher
    url: https://example.org/markup
answers:
  what_is:
    text: >
      Markuposis <b>bold</b> <img src=x onerror="document.title='pwned'"> <script>document.title='pwned'</script> is a test topic.
    sources: [src]
  learn_more:
    links: [src]
"""

# Everything a hostile stylesheet can do to an embedded widget.
HOSTILE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hostile host page</title>
<style>
* { all: unset !important; }
html { font-size: 64px !important; }
body, body * { font-size: 48px !important; line-height: 3 !important; color: #ff00ff !important;
  font-family: "Comic Sans MS", fantasy !important; letter-spacing: 9px !important; }
div, button, textarea, a, ol, li, header, form, span { display: inline !important; position: static !important;
  width: 1px !important; height: 1px !important; background: yellow !important; }
head { display: none !important; }
p#host-para { display: block !important; color: rgb(0, 128, 0) !important; }
healthbot-widget { display: none !important; opacity: 0 !important; transform: scale(0) !important; }
</style></head>
<body>
<a id="host-link" href="#top">A link on the host page</a>
<p id="host-para">The host page's own text must keep its own styles.</p>
<script src="BOT/widget.js" data-bot-url="BOT" data-title="Heart health questions" defer></script>
</body></html>
"""


ANGIOPLASTY_TOPIC = """\
id: angioplasty
title: Angioplasty
kind: procedure
also_called: [balloon angioplasty, percutaneous coronary intervention, PCI, stent, stents]
reviewed: 2026-11-26
related: []
sources:
  nhlbi_during:
    title: "Stents: What to Expect When Getting a Stent"
    publisher: National Heart, Lung, and Blood Institute
    url: https://www.nhlbi.nih.gov/health/stents/during
  nhlbi_after:
    title: "Stents: What to Expect After Getting a Stent"
    publisher: National Heart, Lung, and Blood Institute
    url: https://www.nhlbi.nih.gov/health/stents/recovery
  mplus:
    title: Angioplasty
    publisher: MedlinePlus
    url: https://medlineplus.gov/angioplasty.html
answers:
  what_is:
    text: >
      Angioplasty is a procedure that opens a narrowed or blocked artery, most often
      one that brings blood to the heart muscle. A tiny balloon pushes the artery open,
      and a small wire mesh tube called a stent is usually left inside to keep it open.
    sources: [nhlbi_during, mplus, nhlbi_after]
  how_done:
    text: >
      Angioplasty is done in a hospital without a large cut. A doctor guides a thin,
      flexible tube called a catheter through a blood vessel in the wrist or groin to
      the narrowed artery, fills a tiny balloon to widen it, and leaves the stent in place.
    sources: [nhlbi_during, mplus]
  recovery:
    text: >
      Most people get back to normal activity within a few days to a week, once their
      provider says it is okay. Medicines help stop a clot from forming in the stent.
    sources: [nhlbi_after]
  risks:
    text: >
      Serious problems are rare. Bleeding or soreness where the catheter went in is the
      most common one, and a doctor can explain a person's own risk.
    sources: [nhlbi_after]
  learn_more:
    links: [mplus, nhlbi_during, nhlbi_after]
"""


def widget_topics() -> dict[str, str]:
    """Topics written for these tests, so edits to data/topics/ cannot break them."""
    return {"angioplasty": ANGIOPLASTY_TOPIC, "markup-test": MARKUP_TOPIC}


class BotServer:
    """create_app under a threaded werkzeug server; can be stopped and started on the same port."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        self.port = 0
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "BotServer":
        self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class _HostHandler(BaseHTTPRequestHandler):
    """Serves the host site's pages from ``pages`` (path -> HTML), which tests may extend."""

    pages: dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        html = self.pages.get(self.path.split("?")[0])
        body = (html if html is not None else "not found").encode("utf-8")
        self.send_response(200 if html is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def widget_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_content(tmp_path_factory.mktemp("widget") / "content", widget_topics())


@pytest.fixture(scope="session")
def host_port() -> Iterator[int]:
    """Reserve the host page's port first, so the bot's CORS list can name its origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HostHandler)
    port = server.server_address[1]
    server.server_close()
    yield port


@pytest.fixture()
def make_bot(widget_content: Path, host_port: int) -> Iterator[Callable[[], BotServer]]:
    servers: list[BotServer] = []

    def factory() -> BotServer:
        settings = Settings(content_root=str(widget_content), store_url="memory://",
                            cors_origins=(f"http://127.0.0.1:{host_port}",), reload_interval=0.0)
        server = BotServer(settings).start()
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


@pytest.fixture()
def bot(make_bot: Callable[[], BotServer]) -> BotServer:
    return make_bot()


@pytest.fixture()
def host_pages(bot: BotServer, host_port: int) -> Iterator[dict[str, str]]:
    """The host site on its own (allowed) origin; '/' is the hostile page embedding the widget."""
    pages = {"/": HOSTILE_PAGE.replace("BOT", bot.url)}
    handler = type("Handler", (_HostHandler,), {"pages": pages})
    server = ThreadingHTTPServer(("127.0.0.1", host_port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield pages
    server.shutdown()
    server.server_close()


@pytest.fixture()
def host_page(host_pages: dict[str, str], host_port: int) -> str:
    return f"http://127.0.0.1:{host_port}/"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; scripts/test.sh installs it with apt-get")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.js_errors = errors  # type: ignore[attr-defined]
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
