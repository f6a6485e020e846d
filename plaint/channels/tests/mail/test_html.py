"""html_to_text: readable, safe text from HTML bodies, with quoted blocks marked by "> "."""

from __future__ import annotations

import pytest

from plaint.channels.mail import html_to_text


def test_blockquotes_come_out_as_quoted_lines_at_their_depth():
    html = "<p>Nové</p><blockquote>první<br>druhý<blockquote>hlubší</blockquote></blockquote><p>po</p>"
    assert html_to_text(html) == "Nové\n> první\n> druhý\n> > hlubší\npo"


def test_a_head_that_is_never_closed_does_not_hide_the_body():
    assert html_to_text("<html><head><title>t</title><body><p>Text zákazníka</p>") == "Text zákazníka"


def test_tables_become_lines_and_cells_are_separated():
    html = "<table><tr><td>Zboží</td><td>Cena</td></tr><tr><td>Kabel</td><td>100&nbsp;Kč</td></tr></table>"
    assert html_to_text(html) == "Zboží Cena\nKabel 100 Kč"


def test_preformatted_text_keeps_its_spacing():
    assert html_to_text("<pre>a   b\n  c</pre>") == "a   b\n  c"


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>ok", "<style>p{}</style>ok", "<!-- x -->ok", "<svg><text>x</text></svg>ok",
    "<iframe src='x'>frame</iframe>ok", "<object>obj</object>ok", "ok<img src=x onerror=alert(1)>",
])
def test_active_content_is_dropped(html):
    assert html_to_text(html) == "ok"


@pytest.mark.parametrize("html", [
    "", "<", "<<<>>>", "</div></div>", "<div" * 1000, "<p>unclosed <b>bold", "&#xffffffff; &#0; &bogus;",
    "<a href='javascript:alert(1)'>link</a>", "\x00<p>\x00</p>",
])
def test_broken_html_gives_text_not_an_exception(html):
    assert isinstance(html_to_text(html), str)


def test_a_web_link_keeps_its_address_after_its_text_and_a_script_link_does_not():
    html = ("<p><a href='https://shop.example.test/order/12'>moje objednávka</a>, "
            "<a href='https://shop.example.test/'>https://shop.example.test/</a>, "
            "<a href='mailto:info@shop.example.test'>info@shop.example.test</a>, "
            "<a href='javascript:alert(1)'>klik</a></p>")
    assert html_to_text(html) == ("moje objednávka (https://shop.example.test/order/12), "
                                  "https://shop.example.test/, info@shop.example.test, klik")
