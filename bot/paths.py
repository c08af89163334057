"""Where the bundled content and the web widget are: the checkout, or the installed wheel.

A checkout (or an editable install) has ``intents/``, ``data/`` and ``web/``
beside the ``bot`` package; a wheel carries copies in ``bot/_bundle/`` (see
setup.py). Staff who keep their own content point ``HEALTHBOT_CONTENT_ROOT``
at it, or run the bot from that folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
BUNDLE = PACKAGE / "_bundle"


def _first_with(child: str, *roots: Path) -> Path:
    return next((root for root in roots if (root / child).is_dir()), roots[0])


def bundled_content_root() -> Path:
    """The folder holding the shipped ``intents/`` and ``data/``."""
    return _first_with("intents", CHECKOUT, BUNDLE)


def web_dir() -> Path:
    """The folder holding ``widget.js`` and ``demo.html``."""
    return _first_with("web", CHECKOUT, BUNDLE) / "web"
