"""Serve the web widget (``/widget.js``) and a demo page that embeds it (``/``).

The script is read from ``web/`` on each request (it is small), so a deploy that
replaces the file is picked up without a restart; the ETag lets browsers and
CDNs revalidate cheaply instead of downloading it again.
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, request

from bot.paths import web_dir
from bot.runtime import Runtime
from bot.server.errors import ApiError

WEB_DIR = web_dir()
WIDGET_FILE = "widget.js"
DEMO_FILE = "demo.html"
#: Short enough that a fix reaches every embedding site within minutes.
WIDGET_CACHE = "public, max-age=300, stale-while-revalidate=86400"
_INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def _read(name: str) -> bytes:
    try:
        return (WEB_DIR / name).read_bytes()
    except OSError:
        raise ApiError(404, "not_found", "The web widget files are not installed on this server.") from None


def style_hashes(html: str) -> list[str]:
    """CSP hashes of the page's inline <style> blocks, so no 'unsafe-inline' is needed."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode() + "'"
        for m in _INLINE_STYLE.finditer(html)
    ]


def demo_csp(html: str) -> str:
    styles = " ".join(["'self'", *style_hashes(html)])
    return (
        "default-src 'none'; script-src 'self'; connect-src 'self'; "
        f"style-src {styles}; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


def widget_response() -> Response:
    body = _read(WIDGET_FILE)
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = WIDGET_CACHE
    # A public script with no credentials: '*' lets sites load it with SRI (crossorigin).
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)


def demo_response() -> Response:
    html = _read(DEMO_FILE).decode("utf-8")
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = demo_csp(html)
    response.headers["Cache-Control"] = "no-cache"
    return response


def init_app(app: Flask, runtime: Runtime) -> None:
    app.add_url_rule("/widget.js", "widget_js", widget_response, methods=["GET"])
    app.add_url_rule("/", "widget_demo", demo_response, methods=["GET"])
