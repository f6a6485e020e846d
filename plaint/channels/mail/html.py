"""HTML mail bodies turned into safe plain text, with quoted blocks kept recognisable.

Plaint stores and shows what a customer wrote as text, never as their HTML: no
tags, no scripts or styles, entities resolved. We use the standard library's
tolerant HTML tokenizer rather than a converter library because we need one
thing converters drop: the text inside ``<blockquote>`` (and the quote
containers of Gmail, Outlook and Yahoo) comes out prefixed with ``> `` so that
``split_reply`` can separate an HTML-only reply from the message it quotes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Content that is never text for a reader.
_SKIPPED = {"script", "style", "head", "title", "template", "noscript", "object", "embed", "svg",
            "math", "iframe", "frame", "frameset", "applet", "xml", "select", "button"}
_BLOCK = {"p", "div", "section", "article", "header", "footer", "aside", "nav", "main", "form",
          "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody",
          "tfoot", "tr", "pre", "address", "center", "fieldset", "figure", "figcaption", "hr",
          "blockquote", "li", "caption", "body", "html"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr", "source", "param"}
# Containers that hold a quoted earlier message without a <blockquote> (Yahoo, Proton).
_QUOTE_CLASSES = re.compile(r"\b(yahoo_quoted|protonmail_quote)\b")
MAX_DEPTH = 200
MAX_LINK = 500
# Links whose address is worth keeping after their text: web pages and mail addresses, not scripts.
_SHOWN_LINK = re.compile(r"^(?:https?://|mailto:)[^\s<>\"']+$", re.IGNORECASE)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []  # (quote depth, text)
        self.current: list[str] = []
        self.current_depth = 0
        self.skip_depth = 0
        self.pre_depth = 0
        self.quote_depth = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, opened a quote)
        self.links: list[str] = []  # href of each open <a>, "" when it is not shown

    # Lines -------------------------------------------------------------
    def _break(self) -> None:
        text = "".join(self.current)
        if not self.pre_depth:
            text = " ".join(text.split())
        self.lines.append((self.current_depth, text.rstrip()))
        self.current = []
        self.current_depth = self.quote_depth

    def _block_edge(self) -> None:
        if self.current and "".join(self.current).strip():
            self._break()
        elif self.current:
            self.current = []
        self.current_depth = self.quote_depth

    # Parser callbacks ----------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in _VOID:
            self._void(tag, attrs)
            return
        if tag == "body":  # a <head> never closed must not hide the body
            while self.skip_depth and self.stack:
                self.stack.pop()
                self.skip_depth -= 1
        if len(self.stack) >= MAX_DEPTH:
            return
        if self.skip_depth or tag in _SKIPPED:
            self.skip_depth += 1
            self.stack.append((tag, False))
            return
        attributes = dict(attrs)
        opens_quote = tag == "blockquote" or (
            tag == "div" and bool(_QUOTE_CLASSES.search(attributes.get("class") or ""))
        )
        if tag in _BLOCK:
            self._block_edge()
        if opens_quote:
            self.quote_depth += 1
            self.current_depth = self.quote_depth
        if tag == "pre":
            self.pre_depth += 1
        if tag == "li":
            self.current.append("- ")
        if tag == "a":
            href = (attributes.get("href") or "").strip()
            self.links.append(href if _SHOWN_LINK.match(href) and len(href) <= MAX_LINK else "")
        self.stack.append((tag, opens_quote))

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _VOID:
            return
        # close up to the matching open tag; stray end tags are ignored
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                break
        else:
            return
        while len(self.stack) > index:
            open_tag, opened_quote = self.stack.pop()
            if self.skip_depth:
                self.skip_depth -= 1
                continue
            if open_tag == "a" and self.links:
                href = self.links.pop()
                shown = "".join(self.current)
                if href and href not in shown and href.removeprefix("mailto:") not in shown:
                    self.current.append(f" ({href})")
            if open_tag in _BLOCK:
                self._block_edge()
            if open_tag in ("td", "th"):
                self.current.append(" ")
            if open_tag == "pre" and self.pre_depth:
                self.pre_depth -= 1
            if opened_quote:
                self._block_edge()
                self.quote_depth = max(0, self.quote_depth - 1)
                self.current_depth = self.quote_depth

    def _void(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth:
            return
        if tag == "br":
            self._break()
        elif tag == "hr":
            self._block_edge()
            self.lines.append((self.quote_depth, "----"))
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.current.append(alt)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if not self.current:
            self.current_depth = self.quote_depth
        self.current.append(data if self.pre_depth else re.sub(r"\s+", " ", data))

    def close(self) -> None:
        super().close()
        self._block_edge()


def html_to_text(html: str) -> str:
    """Readable plain text from an HTML body; quoted blocks come out as ``> `` lines."""
    html = html.replace("\x00", "")
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except Exception:  # noqa: BLE001 - the tokenizer is tolerant, but hostile input must not stop intake
        return _strip_tags(html)
    out: list[str] = []
    for depth, text in extractor.lines:
        text = text.replace("\xa0", " ").rstrip()
        line = ("> " * depth + text).rstrip() if depth else text
        if not line.strip(" >") and out and not out[-1].strip(" >"):
            continue  # no runs of empty lines
        out.append(line)
    return "\n".join(out).strip("\n")


def _strip_tags(html: str) -> str:
    """Last resort: drop scripts, styles and every tag."""
    import html as html_module

    text = re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>", " ", html)
    text = re.sub(r"(?s)<[^>]*>", " ", text)
    text = html_module.unescape(text)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
