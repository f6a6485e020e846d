"""parse_message on hand-made messages: charsets, HTML, replies, attachments, broken input."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

import pytest

from plaint.channels.mail import MessageKind, parse_message
from plaint.channels.tests.mail.builders import mail, raw

CZECH = "Dobrý den,\nzásilka č. 123 dorazila poškozená: rozbitý displej, chybí nabíječka.\nŽádám o výměnu."
POLISH = "Dzień dobry,\nprzesyłka przyszła uszkodzona, proszę o zwrot pieniędzy. Zażółć gęślą jaźń."


@pytest.mark.parametrize("charset", ["iso-8859-2", "windows-1250"])
@pytest.mark.parametrize("text", [CZECH, POLISH])
def test_czech_and_polish_bodies_in_legacy_charsets_are_decoded(charset, text):
    # given a message whose body is in a legacy Central European charset
    message = mail(text, charset=charset)
    # when
    parsed = parse_message(message)
    # then
    assert parsed.kind == MessageKind.NORMAL
    assert parsed.text == text
    assert parsed.new_text == text
    assert parsed.problems == []


def test_an_8bit_body_in_windows_1250_written_by_hand_is_decoded():
    # given 8-bit bytes straight in the body, as old clients send
    head = ("From: =?windows-1250?Q?Pawe=B3_Nowak?= <pawel@example.test>\r\nTo: reklamacje@plaint.test\r\n"
            "Subject: =?windows-1250?B?UmVrbGFtYWNqYSAtIJ9sZQ==?=\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=windows-1250\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
    message = head.encode("ascii") + POLISH.encode("cp1250")
    # when
    parsed = parse_message(message)
    # then
    assert parsed.from_name == "Paweł Nowak"
    assert parsed.from_address == "pawel@example.test"
    assert parsed.subject == "Reklamacja - źle"
    assert parsed.text == POLISH
    assert parsed.language_hint == "pl"


@pytest.mark.parametrize(("encoded", "expected"), [
    ("=?ISO-8859-2?Q?Reklamace_=E8.=20123_-_=B9patn=E9_zbo=BE=ED?=", "Reklamace č. 123 - špatné zboží"),
    ("=?iso-8859-2?B?UmVrbGFtYWNlIOjtc2xvIDEyMw==?=", "Reklamace číslo 123"),
    ("=?windows-1250?Q?Reklamacja_zam=F3wienia?=", "Reklamacja zamówienia"),
    ("=?windows-1250?B?UmVrbGFtYWNqYSAtIJ9sZQ==?=", "Reklamacja - źle"),
])
def test_encoded_word_subjects_are_decoded(encoded, expected):
    # given
    message = raw(f"From: a@example.test\nTo: b@plaint.test\nSubject: {encoded}\n\nText\n")
    # when / then
    assert parse_message(message).subject == expected


def test_an_html_only_message_becomes_safe_text_without_scripts_styles_or_tags():
    # given HTML with a script, a style, comments, entities and markup
    html = ("<html><head><title>x</title><style>p { color: red }</style>"
            "<script>alert('boo')</script></head><body>"
            "<p>Dobr&yacute; den,</p><p>cena 5&nbsp;000&nbsp;K&#269; &amp; DPH &lt;nefunguje&gt;.</p>"
            "<!-- hidden --><div>Seznam:<ul><li>nab&iacute;je&#x10D;ka</li><li>kabel</li></ul></div>"
            "<img src='http://tracker.test/p.gif' alt=''><noscript>track</noscript>"
            "<p onclick=\"evil()\">Konec<br>zpr&aacute;vy</p></body></html>")
    message = mail("", html=html)
    # when
    parsed = parse_message(message)
    # then
    assert parsed.was_html
    assert parsed.text == ("Dobrý den,\ncena 5 000 Kč & DPH <nefunguje>.\nSeznam:\n- nabíječka\n- kabel\n"
                           "Konec\nzprávy")
    for unsafe in ("alert", "color", "hidden", "track", "evil", "<p", "script"):
        assert unsafe not in parsed.text


def test_the_plain_alternative_is_preferred_to_the_html_one():
    message = mail("Prostý text.", html="<p>HTML <b>verze</b></p>")
    parsed = parse_message(message)
    assert parsed.text == "Prostý text."
    assert not parsed.was_html


def test_an_html_reply_quoted_in_a_blockquote_gives_only_the_new_words():
    # given an HTML-only reply as Gmail writes it
    html = ("<div dir='ltr'>Pořád čekám.</div><br><div class='gmail_quote'><div dir='ltr' class='gmail_attr'>"
            "Dne čt 3. 12. 2026 v 10:15 odesílatel Plaint &lt;stiznosti@plaint.test&gt; napsal:<br></div>"
            "<blockquote class='gmail_quote'>Vaši reklamaci jsme přijali.</blockquote></div>")
    # when
    parsed = parse_message(mail("", html=html))
    # then
    assert parsed.new_text == "Pořád čekám."
    assert "Vaši reklamaci jsme přijali." in parsed.quoted_text


@pytest.mark.parametrize(("body", "new_text", "signature"), [
    ("Dobrý den,\nstále čekám na vrácení peněz.\n\nS pozdravem\nJana Nováková\n\nOdesláno z iPhonu\n\n"
     "Dne 3. 12. 2026 v 10:15, Plaint <stiznosti@plaint.test> napsal(a):\n\n> Vážená paní,\n"
     "> přijali jsme.\n",
     "Dobrý den,\nstále čekám na vrácení peněz.", "S pozdravem\nJana Nováková\n\nOdesláno z iPhonu"),
    ("Dzień dobry,\nnadal czekam na zwrot.\n\nPozdrawiam\nJan Kowalski\n\nWysłane z iPhone'a\n\n"
     "W dniu 3.12.2026 o 10:15, Plaint <stiznosti@plaint.test> napisał:\n> Szanowny Panie,\n",
     "Dzień dobry,\nnadal czekam na zwrot.", "Pozdrawiam\nJan Kowalski\n\nWysłane z iPhone'a"),
    ("Bună ziua,\nîncă aștept rambursarea.\n\nCu stimă,\nIon Popescu\n\nTrimis de pe iPhone\n\n"
     "Pe joi, 3 dec. 2026 la 10:15, Plaint <stiznosti@plaint.test> a scris:\n> Stimate domn,\n",
     "Bună ziua,\nîncă aștept rambursarea.", "Cu stimă,\nIon Popescu\n\nTrimis de pe iPhone"),
    ("Olá,\nainda aguardo o reembolso.\n\nAtenciosamente,\nJoão Silva\n\nEnviado do meu iPhone\n\n"
     "Em qui., 3 de dez. de 2026 às 10:15, Plaint <stiznosti@plaint.test> escreveu:\n> Prezado cliente,\n",
     "Olá,\nainda aguardo o reembolso.", "Atenciosamente,\nJoão Silva\n\nEnviado do meu iPhone"),
])
def test_replies_from_czech_polish_romanian_and_portuguese_clients(body, new_text, signature):
    # given a reply as these languages' mail clients write it
    parsed = parse_message(mail(body, subject="Re: Reklamace 7K3M-Q9XD-4"))
    # then
    assert parsed.new_text == new_text
    assert parsed.signature == signature
    assert parsed.quoted_text.startswith(("Dne", "W dniu", "Pe", "Em"))


def test_threading_headers_and_recipients_are_read():
    # given a reply delivered through an alias
    message = raw(
        "Return-Path: <jana@example.test>\nDelivered-To: stiznosti+org7@plaint.test\n"
        "X-Original-To: stiznosti@plaint.test\nEnvelope-To: Stiznosti@Plaint.test\n"
        "From: \"Nováková, Jana\" <Jana@Example.TEST>\nTo: Obchod <info@obchod.test>, stiznosti@plaint.test\n"
        "Cc: =?utf-8?q?Petr_=C4=8Cern=C3=BD?= <petr@example.test>\nReply-To: jana.n@example.test\n"
        "Subject: Re: Reklamace\nDate: Thu, 3 Dec 2026 10:15:00 +0100\n"
        "Message-ID:   <reply-1@example.test>  \nIn-Reply-To: <sent-2@plaint.test>\n"
        "References: <sent-1@plaint.test>\n <sent-2@plaint.test>\n\nDěkuji.\n"
    )
    # when
    parsed = parse_message(message)
    # then
    assert parsed.message_id == "<reply-1@example.test>"
    assert parsed.in_reply_to == ["<sent-2@plaint.test>"]
    assert parsed.references == ["<sent-1@plaint.test>", "<sent-2@plaint.test>"]
    assert parsed.thread_message_ids == ["<sent-2@plaint.test>", "<sent-1@plaint.test>"]
    assert parsed.from_name == "Nováková, Jana"
    assert parsed.from_address == "jana@example.test"
    assert parsed.reply_to == "jana.n@example.test"
    assert parsed.to_addresses == ["info@obchod.test", "stiznosti@plaint.test", "petr@example.test",
                                   "stiznosti+org7@plaint.test"]
    assert parsed.date is not None
    assert parsed.date.isoformat() == "2026-12-03T10:15:00+01:00"


def _with_attachment(filename_header: str, data: bytes = b"%PDF-1.4 test") -> bytes:
    return raw(
        "From: a@example.test\nTo: b@plaint.test\nSubject: files\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="XX"\n\n'
        "--XX\nContent-Type: text/plain; charset=utf-8\n\nV příloze.\n"
        f"--XX\nContent-Type: application/pdf\n{filename_header}\nContent-Transfer-Encoding: base64\n\n"
        "JVBERi0xLjQgdGVzdA==\n--XX--\n"
    )


@pytest.mark.parametrize(("header", "expected"), [
    ('Content-Disposition: attachment; filename="../../etc/passwd"', "passwd"),
    ('Content-Disposition: attachment; filename="..\\\\..\\\\windows\\\\evil.pdf"', "evil.pdf"),
    ("Content-Disposition: attachment; filename*=UTF-8''%C5%BDlu%C5%A5ou%C4%8Dk%C3%BD%00k%C5%AF%C5%88.pdf",
     "Žluťoučkýkůň.pdf"),
    ("Content-Disposition: attachment; filename*=iso-8859-2''faktura%20%E8.%201.pdf", "faktura č. 1.pdf"),
    ('Content-Disposition: attachment; filename="=?utf-8?B?UMWZw61sb2hhLnBkZg==?="', "Příloha.pdf"),
    ("Content-Disposition: attachment; filename*0*=utf-8''dlouh%C3%BD%20;\n filename*1=nazev.pdf",
     "dlouhý nazev.pdf"),
    ('Content-Disposition: attachment; filename="bad\x07name\x1b[31m.pdf"', "badname[31m.pdf"),
    ('Content-Disposition: attachment; filename="' + "x" * 400 + '.pdf"', "x" * 146 + ".pdf"),
    ("Content-Disposition: attachment", "attachment.pdf"),
])
def test_attachment_file_names_from_hostile_headers_are_made_safe(header, expected):
    # when
    parsed = parse_message(_with_attachment(header))
    # then
    assert parsed.text == "V příloze."
    assert [a.filename for a in parsed.attachments] == [expected]
    assert parsed.attachments[0].content_type == "application/pdf"
    assert parsed.attachments[0].data == b"%PDF-1.4 test"


def test_inline_images_are_attachments_and_the_body_parts_are_not():
    # given an HTML message with an inline image (multipart/related)
    message = EmailMessage()
    message["From"] = "a@example.test"
    message["To"] = "b@plaint.test"
    message["Subject"] = "foto"
    message.set_content("Viz foto.")
    message.add_alternative("<p>Viz foto <img src='cid:img1'></p>", subtype="html")
    message.get_payload()[1].add_related(b"\x89PNG fake", maintype="image", subtype="png", cid="<img1>")
    # when
    parsed = parse_message(message.as_bytes(policy=SMTP))
    # then
    assert parsed.text == "Viz foto."
    assert len(parsed.attachments) == 1
    image = parsed.attachments[0]
    assert image.content_type == "image/png"
    assert image.data == b"\x89PNG fake"
    assert image.inline
    assert image.content_id == "<img1>"
    assert image.filename == "attachment.png"


def test_a_forwarded_message_attachment_is_kept_as_an_eml_file():
    # given an e-mail forwarded as an attachment
    inner = mail("Původní zpráva od obchodu.", subject="Zamítnutí reklamace")
    outer = EmailMessage()
    outer["From"] = "jana@example.test"
    outer["To"] = "stiznosti@plaint.test"
    outer["Subject"] = "Fwd: Zamítnutí reklamace"
    outer.set_content("Posílám, co mi napsali.")
    outer.add_attachment(inner, maintype="message", subtype="rfc822")
    # when
    parsed = parse_message(outer.as_bytes(policy=SMTP))
    # then the forward's text is not mixed into the customer's words, but nothing is lost
    assert parsed.text == "Posílám, co mi napsali."
    assert parsed.attachments[0].content_type == "message/rfc822"
    assert parsed.attachments[0].filename == "Zamítnutí reklamace.eml"
    assert b"obchodu" in parsed.attachments[0].data or b"=C5" in parsed.attachments[0].data


@pytest.mark.parametrize("data", [
    b"", b"   \r\n  ", b"\x00\x01\x02\xff\xfe", b"\xff" * 1000, "žluťoučký kůň".encode("utf-16"),
    b"this is not an e-mail at all, just a sentence without any header",
])
def test_noise_is_unparseable_and_never_raises(data):
    parsed = parse_message(data)
    assert parsed.kind == MessageKind.UNPARSEABLE
    assert parsed.problems


def test_a_truncated_multipart_message_is_read_as_far_as_it_goes():
    # given a message cut off in the middle of its attachment
    whole = _with_attachment('Content-Disposition: attachment; filename="f.pdf"')
    cut = whole[: whole.index(b"JVBER") + 6]
    # when
    parsed = parse_message(cut)
    # then
    assert parsed.kind == MessageKind.NORMAL
    assert parsed.text == "V příloze."
    assert any("CloseBoundaryNotFound" in problem for problem in parsed.problems)


def test_a_multipart_without_its_boundary_is_rescued_from_the_body():
    # given a multipart whose declared boundary is not the one its body uses
    message = raw(
        "From: a@example.test\nTo: b@plaint.test\nSubject: broken\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="declared"\n\n'
        "--actual\nContent-Type: text/plain; charset=utf-8\n\nSkutečný text.\n"
        "--actual\nContent-Type: text/html; charset=utf-8\n\n<p>Skutečný text.</p>\n--actual--\n"
    )
    # when
    parsed = parse_message(message)
    # then
    assert parsed.text == "Skutečný text."
    assert any("boundary guessed" in problem for problem in parsed.problems)


def test_undecodable_headers_and_a_wrong_charset_are_recorded_not_fatal():
    # given a header with raw cp1250 bytes and a body that lies about its charset
    message = (b"From: \x8aimon <simon@example.test>\r\nTo: b@plaint.test\r\nSubject: \x9e\xe1dost\r\n"
               b"Date: not a date\r\nContent-Type: text/plain; charset=klingon\r\n\r\n"
               + "Žádost o vrácení.".encode())
    # when
    parsed = parse_message(message)
    # then
    assert parsed.kind == MessageKind.NORMAL
    assert parsed.subject == "žádost"
    assert parsed.from_name == "Šimon"
    assert parsed.text == "Žádost o vrácení."
    assert parsed.date is None
    assert "unknown charset 'klingon' in body" in parsed.problems
    assert "unreadable Date header" in parsed.problems


@pytest.mark.parametrize("depth", [200, 3000])
def test_a_deeply_nested_message_is_bounded(depth):
    # given multiparts nested far deeper than any mail client would
    head = "From: a@example.test\nTo: b@plaint.test\nSubject: deep\nMIME-Version: 1.0\n"
    body = ""
    for level in range(depth):
        body += f'Content-Type: multipart/mixed; boundary="b{level}"\n\n--b{level}\n'
    body += "Content-Type: text/plain\n\nhluboko\n"
    for level in reversed(range(depth)):
        body += f"--b{level}--\n"
    # when
    parsed = parse_message(raw(head + body))
    # then its headers are still read and the nesting is reported
    assert parsed.kind == MessageKind.NORMAL
    assert parsed.subject == "deep"
    assert any("nested" in problem for problem in parsed.problems)


def test_bidirectional_overrides_and_control_characters_are_removed_from_the_text():
    # given text that would display differently from how it reads
    parsed = parse_message(mail("Částka: \u202e0001\u202c Kč\x07\ufeff"))
    # then
    assert parsed.text == "Částka: 0001 Kč"


def test_a_subject_and_a_sender_name_are_one_clean_line():
    # given encoded words that smuggle control characters and a bidirectional override
    message = raw("From: =?utf-8?q?Jana=0D=0ABcc=3A_x=1B=5B31m_=E2=80=AEN?= <jana@example.test>\n"
                  "To: b@plaint.test\nSubject: =?utf-8?q?Reklamace=0Aa=09tab?=\n\nText\n")
    # when
    parsed = parse_message(message)
    # then
    assert parsed.subject == "Reklamace a tab"
    assert parsed.from_name == "Jana Bcc: x [31m N"


def test_a_binary_attachment_keeps_every_byte():
    # given an attachment sent with the binary transfer encoding, NUL bytes included
    content = bytes(range(256)).replace(b"\r", b"").replace(b"\n", b"")
    message = (b"From: a@example.test\r\nTo: b@plaint.test\r\nSubject: bin\r\nMIME-Version: 1.0\r\n"
               b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\n'
               b"Binary.\r\n--XX\r\nContent-Type: application/octet-stream\r\n"
               b"Content-Transfer-Encoding: binary\r\n"
               b'Content-Disposition: attachment; filename="b.bin"\r\n\r\n' + content + b"\r\n--XX--\r\n")
    # when
    parsed = parse_message(message)
    # then
    assert parsed.attachments[0].data == content


def test_an_html_body_that_names_its_charset_only_in_a_meta_tag_is_decoded_by_it():
    # given HTML in windows-1250 with no charset parameter on its Content-Type
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1250"></head>'
    message = (b"From: a@example.test\r\nTo: b@plaint.test\r\nSubject: meta\r\nMIME-Version: 1.0\r\n"
               b"Content-Type: text/html\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
               + (html + "<body><p>Zażółć gęślą jaźń</p></body></html>").encode("cp1250"))
    # when
    parsed = parse_message(message)
    # then
    assert parsed.text == "Zażółć gęślą jaźń"
    assert parsed.problems == []
