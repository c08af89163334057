"""Reply -> platform text: plain with numbered links, Telegram HTML, Slack mrkdwn.

A reply is first laid out as paragraphs of lines of inline pieces (text or a
link). Splitting works on that layout, measured the way each platform counts,
and only then is each chunk escaped and marked up, so a split never lands
inside a tag, an entity or a link.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from bot.core.models import Citation, Reply

TELEGRAM_LIMIT = 4096
WHATSAPP_LIMIT = 4096
WHATSAPP_INTERACTIVE_BODY = 1024
MESSENGER_LIMIT = 2000
TWILIO_LIMIT = 1600
SLACK_LIMIT = 4000  # Slack truncates at 40,000 but advises staying under 4,000
DIALOGFLOW_LIMIT = 4000


@dataclass(frozen=True)
class Text:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Link:
    label: str
    url: str


Inline = Text | Link
Line = tuple[Inline, ...]
Paragraph = tuple[Line, ...]


@dataclass(frozen=True)
class Format:
    """How one platform escapes text, writes links and counts length."""

    name: str
    text: Callable[[Text], str]
    link: Callable[[Link], str]
    size: Callable[[Inline], int]
    #: Citation lines put the URL itself in the text (plain-text platforms).
    numbered_urls: bool = True


def utf16_len(text: str) -> int:
    """Telegram counts entity offsets and limits in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _plain_text(t: Text) -> str:
    return t.text


def _whatsapp_text(t: Text) -> str:
    body = t.text.strip()
    return t.text.replace(body, f"*{body}*", 1) if t.strong and body else t.text


def _telegram_text(t: Text) -> str:
    escaped = html.escape(t.text, quote=False)
    return f"<b>{escaped}</b>" if t.strong and t.text.strip() else escaped


def _telegram_link(link: Link) -> str:
    return f'<a href="{html.escape(link.url, quote=True)}">{html.escape(link.label, quote=False)}</a>'


def slack_escape(text: str) -> str:
    """Slack mrkdwn: escape only ``&``, ``<`` and ``>``; everything else is literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_text(t: Text) -> str:
    escaped = slack_escape(t.text)
    body = escaped.strip()
    return escaped.replace(body, f"*{body}*", 1) if t.strong and body else escaped


def _slack_link(link: Link) -> str:
    url = slack_escape(link.url).replace("|", "%7C")
    label = slack_escape(link.label).replace("|", "\u2223")
    return f"<{url}|{label}>"


PLAIN = Format("plain", _plain_text, lambda l: l.url, lambda i: len(i.text if isinstance(i, Text) else i.url))
WHATSAPP = Format(
    "whatsapp", _whatsapp_text, lambda l: l.url,
    lambda i: len(_whatsapp_text(i)) if isinstance(i, Text) else len(i.url),
)
TELEGRAM_HTML = Format(
    "telegram", _telegram_text, _telegram_link,
    lambda i: utf16_len(i.text if isinstance(i, Text) else i.label), numbered_urls=False,
)
SLACK_MRKDWN = Format(
    "slack", _slack_text, _slack_link,
    lambda i: len(_slack_text(i) if isinstance(i, Text) else _slack_link(i)), numbered_urls=False,
)


def _citation_line(c: Citation, fmt: Format) -> Line:
    if fmt.numbered_urls:
        return (Text(f"[{c.n}] {c.title} ({c.publisher}): "), Link(c.title, c.url))
    return (Text(f"[{c.n}] "), Link(c.title, c.url), Text(f" ({c.publisher})"))


def layout(reply: Reply, fmt: Format, *, suggestions: bool = False) -> list[Paragraph]:
    """The reply as paragraphs: its bubbles, its sources, optionally its follow-ups as text."""
    paragraphs: list[Paragraph] = []
    for part in reply.messages:
        lines = tuple((Text(line, strong=part.role == "emergency"),) for line in part.text.split("\n"))
        paragraphs.append(lines)
    if reply.citations:
        cited = " ".join(part.text for part in reply.messages)
        if any(f"[{c.n}] {c.title}" in cited for c in reply.citations):
            # A learn-more answer already lists "[n] title (publisher)": add just the links.
            lines = tuple((Text(f"[{c.n}] "), Link(c.title, c.url) if not fmt.numbered_urls else Link(c.url, c.url))
                          for c in reply.citations)
        else:
            lines = tuple(_citation_line(c, fmt) for c in reply.citations)
        paragraphs.append(((Text("Sources:"),),) + lines)
    if suggestions and reply.quick_replies:
        # Numbered, because a phone without buttons can answer "2" (the engine maps it back).
        offered = reply.quick_replies[:9]
        paragraphs.append(((Text("Reply with a number:"),),)
                          + tuple((Text(f"{i}. {q.title}"),) for i, q in enumerate(offered, 1)))
    return paragraphs


def _words(piece: Inline) -> list[Inline]:
    if isinstance(piece, Link):
        return [piece]
    return [Text(w, piece.strong) for w in re.findall(r"\S+\s*|\s+", piece.text)]


def _hard_split(piece: Text, limit: int, fmt: Format) -> list[Text]:
    """A single word longer than the limit: cut it by characters (rare; never a link)."""
    out, current = [], ""
    for ch in piece.text:
        if current and fmt.size(Text(current + ch, piece.strong)) > limit:
            out.append(Text(current, piece.strong))
            current = ""
        current += ch
    if current:
        out.append(Text(current, piece.strong))
    return out


def _split_line(line: Line, limit: int, fmt: Format) -> list[Line]:
    """Cut one over-long line at spaces; links stay whole."""
    pieces: list[Inline] = []
    for piece in line:
        for word in _words(piece):
            if isinstance(word, Text) and fmt.size(word) > limit:
                pieces.extend(_hard_split(word, limit, fmt))
            else:
                pieces.append(word)
    lines: list[Line] = []
    current: list[Inline] = []
    used = 0
    for piece in pieces:
        size = fmt.size(piece)
        if current and used + size > limit:
            lines.append(tuple(current))
            current, used = [], 0
            if isinstance(piece, Text) and not piece.text.strip():
                continue
        current.append(piece)
        used += size
    if current:
        lines.append(tuple(current))
    return lines


def _line_size(line: Line, fmt: Format) -> int:
    return sum(fmt.size(p) for p in line)


def split(paragraphs: Sequence[Paragraph], limit: int, fmt: Format) -> list[list[Paragraph]]:
    """Pack paragraphs into chunks no bigger than ``limit`` as ``fmt`` counts.

    Paragraphs are joined by a blank line and lines by a newline; a paragraph that
    does not fit is cut between lines, and a line between words.
    """
    chunks: list[list[Paragraph]] = []
    current: list[Paragraph] = []
    used = 0

    def para_size(p: Paragraph) -> int:
        return sum(_line_size(line, fmt) for line in p) + max(len(p) - 1, 0)

    def push(p: Paragraph) -> None:
        nonlocal current, used
        size = para_size(p)
        extra = 2 if current else 0
        if current and used + extra + size > limit:
            chunks.append(current)
            current, used, extra = [], 0, 0
        current.append(p)
        used += extra + size

    for paragraph in paragraphs:
        if para_size(paragraph) <= limit:
            push(paragraph)
            continue
        group: list[Line] = []
        for line in paragraph:
            for piece in (_split_line(line, limit, fmt) if _line_size(line, fmt) > limit else [line]):
                candidate = tuple(group + [piece])
                if group and para_size(candidate) > limit:
                    push(tuple(group))
                    group = []
                group.append(piece)
        if group:
            push(tuple(group))
    if current:
        chunks.append(current)
    return chunks


def to_text(paragraphs: Sequence[Paragraph], fmt: Format) -> str:
    def piece(p: Inline) -> str:
        return fmt.text(p) if isinstance(p, Text) else fmt.link(p)

    return "\n\n".join("\n".join("".join(piece(p) for p in line).rstrip() for line in para) for para in paragraphs)


def render(reply: Reply, fmt: Format, limit: int, *, suggestions: bool = False) -> list[str]:
    """The reply as one or more messages, each within ``limit`` as the platform counts."""
    chunks = split(layout(reply, fmt, suggestions=suggestions), limit, fmt)
    return [text for text in (to_text(chunk, fmt) for chunk in chunks) if text.strip()]


def plain(reply: Reply, limit: int = TWILIO_LIMIT, *, suggestions: bool = True) -> list[str]:
    """SMS-friendly plain text with numbered URLs."""
    return render(reply, PLAIN, limit, suggestions=suggestions)


def telegram_html(reply: Reply, limit: int = TELEGRAM_LIMIT) -> list[str]:
    return render(reply, TELEGRAM_HTML, limit)


def slack_mrkdwn(reply: Reply, limit: int = SLACK_LIMIT, *, suggestions: bool = True) -> list[str]:
    return render(reply, SLACK_MRKDWN, limit, suggestions=suggestions)


def whatsapp_text(reply: Reply, limit: int = WHATSAPP_LIMIT, *, suggestions: bool = False) -> list[str]:
    return render(reply, WHATSAPP, limit, suggestions=suggestions)


def button_title(title: str, limit: int = 20) -> str:
    """Button labels have hard limits (WhatsApp and Messenger: 20); trim with an ellipsis."""
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "\u2026"
