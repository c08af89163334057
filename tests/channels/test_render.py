"""Splitting within platform limits without breaking markup or links; escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from bot.channels import render
from bot.core.models import Citation, QuickReply, Reply, TextPart

URL = "https://example.org/page?a=1&b=2"


def long_reply(words: int = 3000) -> Reply:
    text = " ".join(f"word{i % 97}<&>" for i in range(words))
    cites = [Citation(n, f"Source {n} & more", "Publisher", f"{URL}&n={n}") for n in range(1, 40)]
    return Reply("answer", [TextPart("Notice.", "notice"), TextPart(text), TextPart("Reviewed 2026-01-01.", "meta")],
                 citations=cites, quick_replies=[QuickReply("How is it done?", "ask:how_done:x")])


class TelegramHtmlChecker(HTMLParser):
    """Fails on unsupported tags or unbalanced markup; collects the visible text."""

    allowed = {"b", "a"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.visible: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert tag in self.allowed, tag
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag

    def handle_data(self, data):
        self.visible.append(data)


@pytest.mark.parametrize("limit", [200, 1000, render.TELEGRAM_LIMIT])
def test_telegram_chunks_are_balanced_and_within_limit(limit):
    reply = long_reply()
    chunks = render.telegram_html(reply, limit)
    assert len(chunks) > 1
    for chunk in chunks:
        checker = TelegramHtmlChecker()
        checker.feed(chunk)
        checker.close()
        assert checker.stack == []
        assert render.utf16_len("".join(checker.visible)) <= limit
        assert not re.search(r"&(?!amp;|lt;|gt;|quot;)", chunk)  # every & is an entity
    joined = "\n".join(chunks)
    assert all(f'href="{URL}&amp;n={n}"'.replace("&b=", "&amp;b=") in joined for n in range(1, 40))


def test_telegram_counts_utf16():
    reply = Reply("answer", [TextPart("\U0001F600" * 300)])
    chunks = render.telegram_html(reply, 100)
    assert all(render.utf16_len(c) <= 100 for c in chunks)
    assert "".join(chunks) == "\U0001F600" * 300


@pytest.mark.parametrize("limit", [300, render.SLACK_LIMIT])
def test_slack_chunks_keep_links_whole(limit):
    chunks = render.slack_mrkdwn(long_reply(), limit)
    assert len(chunks) > 1
    for chunk in chunks:
        assert len(chunk) <= limit
        assert chunk.count("<") == chunk.count(">")  # every link opened is closed
        assert re.sub(r"<https://[^<>|]+\|[^<>]+>", "", chunk).count("<") == 0
    assert "<https://example.org/page?a=1&amp;b=2&amp;n=7|Source 7 &amp; more>" in "\n".join(chunks)


@pytest.mark.parametrize("limit", [render.TWILIO_LIMIT, render.MESSENGER_LIMIT, 160])
def test_plain_chunks_keep_urls_whole(limit):
    chunks = render.plain(long_reply(), limit)
    for chunk in chunks:
        assert len(chunk) <= limit
    joined = "\n".join(chunks)
    for n in range(1, 40):
        assert re.search(rf"\[{n}\] Source {n} & more \(Publisher\): {re.escape(URL)}&n={n}\b", joined)
    assert "Reply with a number:\n1. How is it done?" in joined


def test_plain_lists_numbered_sources():
    reply = Reply("answer", [TextPart("Answer text [1]")],
                  citations=[Citation(1, "Stents", "NHLBI", URL)])
    assert render.plain(reply) == [f"Answer text [1]\n\nSources:\n[1] Stents (NHLBI): {URL}"]
    assert render.telegram_html(reply) == [
        'Answer text [1]\n\nSources:\n[1] <a href="https://example.org/page?a=1&amp;b=2">Stents</a> (NHLBI)']
    assert render.slack_mrkdwn(reply) == [
        "Answer text [1]\n\nSources:\n[1] <https://example.org/page?a=1&amp;b=2|Stents> (NHLBI)"]


def test_markup_characters_are_escaped():
    reply = Reply("answer", [TextPart("a<b & c *not bold* <@U123> </a>")])
    assert render.telegram_html(reply) == ["a&lt;b &amp; c *not bold* &lt;@U123&gt; &lt;/a&gt;"]
    assert render.slack_mrkdwn(reply) == ["a&lt;b &amp; c *not bold* &lt;@U123&gt; &lt;/a&gt;"]


def test_emergency_is_bold_in_every_chunk():
    reply = Reply("emergency", [TextPart("Call 911 now. " * 50, "emergency")])
    chunks = render.telegram_html(reply, 120)
    assert len(chunks) > 1 and all(c.startswith("<b>") and c.endswith("</b>") for c in chunks)
    assert all(c.startswith("*") and c.endswith("*") for c in render.slack_mrkdwn(reply, 120, suggestions=False))


def test_button_titles_are_trimmed():
    assert render.button_title("What is recovery like?") == "What is recovery li\u2026"
    assert len(render.button_title("x" * 50)) == 20
    assert render.button_title("Short") == "Short"
