"""split_reply: the customer's new words apart from what they quote and from their signature."""

from __future__ import annotations

import pytest

from plaint.channels.mail import split_reply

QUOTE = "> Vážený zákazníku,\n> Vaši reklamaci jsme přijali.\n"


@pytest.mark.parametrize(("attribution", "language"), [
    ("On Thu, Dec 3, 2026 at 10:15 AM Plaint <stiznosti@plaint.test> wrote:", "en"),
    ("On Thu, Dec 3, 2026 at 10:15 AM Plaint <stiznosti@plaint.test>\nwrote:", "en wrapped"),
    ("Dne 3. 12. 2026 v 10:15 Plaint <stiznosti@plaint.test> napsal(a):", "cs Gmail"),
    ("Dne 3.12.2026 10:15, Plaint napsal:", "cs Thunderbird"),
    ("Dne čt 3. 12. 2026 10:15 uživatel <stiznosti@plaint.test>\nnapsal:", "cs wrapped"),
    ("W dniu 3.12.2026 o 10:15, Plaint <stiznosti@plaint.test> napisał(a):", "pl Gmail"),
    ("Plaint <stiznosti@plaint.test> pisze:", "pl short"),
    ("Dnia 3 grudnia 2026 10:15 Plaint <stiznosti@plaint.test> napisał:", "pl Onet"),
    ("Pe joi, 3 dec. 2026 la 10:15, Plaint <stiznosti@plaint.test> a scris:", "ro Gmail"),
    ("În 3 decembrie 2026 10:15, Plaint a scris:", "ro"),
    ("Em qui., 3 de dez. de 2026 às 10:15, Plaint <stiznosti@plaint.test> escreveu:", "pt-BR Gmail"),
    ("Plaint <stiznosti@plaint.test> escreveu no dia quinta, 3/12/2026 à(s) 10:15:", "pt-PT"),
    ("Am Do., 3. Dez. 2026 um 10:15 Uhr schrieb Plaint <stiznosti@plaint.test>:", "de Gmail"),
])
def test_an_attribution_line_and_its_quote_are_taken_out(attribution, language):
    # given a top-posted reply above an attributed quote
    text = f"Dobrý den,\nzboží stále nedorazilo.\n\n{attribution}\n\n{QUOTE}"
    # when
    new_text, quoted, signature = split_reply(text)
    # then
    assert new_text == "Dobrý den,\nzboží stále nedorazilo.", language
    assert quoted.startswith(attribution.split("\n")[0])
    assert "reklamaci jsme přijali" in quoted
    assert signature == ""


@pytest.mark.parametrize("block", [
    "-----Original Message-----\nFrom: Plaint [mailto:stiznosti@plaint.test]\n"
    "Sent: Thursday, December 3, 2026 10:15 AM\nTo: Jana\nSubject: Reklamace\n\nVaši reklamaci jsme přijali.",
    "________________________________\nOd: Plaint <stiznosti@plaint.test>\nOdesláno: čtvrtek 3. prosince 2026"
    " 10:15\nKomu: Jana\nPředmět: Reklamace\n\nVaši reklamaci jsme přijali.",
    "Od: Plaint <stiznosti@plaint.test>\nWysłano: czwartek, 3 grudnia 2026 10:15\nDo: Jan\nTemat: Reklamacja"
    "\n\nVaši reklamaci jsme přijali.",
    "De la: Plaint <stiznosti@plaint.test>\nTrimis: joi, 3 decembrie 2026 10:15\nCătre: Ion\n"
    "Subiect: Reclamație\n\nVaši reklamaci jsme přijali.",
    "De: Plaint <stiznosti@plaint.test>\nEnviado: quinta-feira, 3 de dezembro de 2026 10:15\nPara: João\n"
    "Assunto: Reclamação\n\nVaši reklamaci jsme přijali.",
    "De: Plaint <stiznosti@plaint.test>\nEnviada em: quinta-feira, 3 de dezembro de 2026 10:15\nPara: João\n"
    "Assunto: Reclamação\n\nVaši reklamaci jsme přijali.",
    "Von: Plaint <stiznosti@plaint.test>\nGesendet: Donnerstag, 3. Dezember 2026 10:15\nAn: Jana\n"
    "Betreff: Reklamation\n\nVaši reklamaci jsme přijali.",
    "---------- Původní e-mail ----------\nOd: Plaint <stiznosti@plaint.test>\nKomu: jana@example.test\n"
    "Datum: 3. 12. 2026 10:15:00\nPředmět: Reklamace\n\nVaši reklamaci jsme přijali.",
    "-----Oryginalna wiadomość-----\nVaši reklamaci jsme přijali.",
    "-----Mesaj original-----\nVaši reklamaci jsme přijali.",
    "-----Mensagem original-----\nVaši reklamaci jsme přijali.",
    "---------- Forwarded message ---------\nFrom: Plaint <stiznosti@plaint.test>\nDate: Thu, Dec 3, 2026\n\n"
    "Vaši reklamaci jsme přijali.",
    "---------- Přeposlaná zpráva ---------\nVaši reklamaci jsme přijali.",
    "---------- Wiadomość przekazana dalej ---------\nVaši reklamaci jsme přijali.",
    "---------- Mesaj redirecționat ---------\nVaši reklamaci jsme přijali.",
    "---------- Mensagem encaminhada ---------\nVaši reklamaci jsme přijali.",
    "Begin forwarded message:\n\nFrom: Plaint <stiznosti@plaint.test>\nVaši reklamaci jsme přijali.",
])
def test_an_outlook_or_forward_block_quoted_without_marks_is_cut(block):
    # given
    text = f"Pořád nic.\n\n{block}\n"
    # when
    new_text, quoted, _ = split_reply(text)
    # then
    assert new_text == "Pořád nic."
    assert quoted.endswith("Vaši reklamaci jsme přijali.")


@pytest.mark.parametrize(("closing", "language"), [
    ("-- \nJana Nováková\n+420 777 000 000", "delimiter"),
    ("Sent from my iPhone", "en"),
    ("Odesláno z iPhonu", "cs"),
    ("Odesláno z mého telefonu Samsung Galaxy", "cs Android"),
    ("Wysłane z iPhone'a", "pl"),
    ("Wysłane z mojego smartfona Galaxy", "pl Android"),
    ("Trimis de pe iPhone", "ro"),
    ("Enviado do meu iPhone", "pt"),
    ("Enviado do meu celular Samsung", "pt-BR"),
    ("Von meinem iPhone gesendet", "de"),
    ("S pozdravem\nJana Nováková", "cs valediction"),
    ("Pozdrawiam\nJan Kowalski\ntel. 600 000 000", "pl valediction"),
    ("Cu stimă,\nIon Popescu", "ro valediction"),
    ("Atenciosamente,\nJoão Silva", "pt valediction"),
    ("Best regards,\nJane Doe", "en valediction"),
])
def test_a_signature_is_separated_from_the_new_text(closing, language):
    # given
    text = f"Dobrý den,\nzboží stále nedorazilo.\n\n{closing}\n"
    # when
    new_text, quoted, signature = split_reply(text)
    # then
    assert new_text == "Dobrý den,\nzboží stále nedorazilo.", language
    assert signature == closing
    assert quoted == ""


def test_a_long_text_after_a_valediction_is_not_taken_for_a_signature():
    # given words after "Díky" that are clearly still the message
    text = ("Zboží nedorazilo.\nDíky\nA ještě jedna věc: faktura má špatnou adresu a potřebuji ji opravit, "
            "protože ji musím odevzdat do konce měsíce?\n")
    # when
    new_text, _, signature = split_reply(text)
    # then
    assert signature == ""
    assert new_text == text.strip()


@pytest.mark.parametrize("after", [
    "PS: číslo objednávky 12345", "P.S. I also paid for express delivery", "Can you call me back?",
    "I will wait until Friday for your answer",
])
def test_words_after_a_valediction_that_are_still_the_message_stay_new(after):
    # given a postscript, a question or a sentence after "Thanks"
    text = f"The parcel never arrived.\nThanks\nJane\n{after}\n"
    # when
    new_text, _, signature = split_reply(text)
    # then
    assert after in new_text
    assert signature == ""


def test_inline_answers_between_quoted_lines_stay_new():
    # given a bottom-posted, interleaved reply
    text = ("Dne 3. 12. 2026 v 10:15 Plaint <stiznosti@plaint.test> napsal(a):\n"
            "> Kdy jste zboží objednala?\n"
            "V pondělí.\n"
            "> A kde?\n"
            "Na e-shopu.\n")
    # when
    new_text, quoted, _ = split_reply(text)
    # then
    assert new_text == "V pondělí.\nNa e-shopu."
    assert quoted.splitlines() == ["Dne 3. 12. 2026 v 10:15 Plaint <stiznosti@plaint.test> napsal(a):",
                                   "> Kdy jste zboží objednala?", "> A kde?"]


def test_a_message_that_is_only_a_quote_keeps_everything_as_new_text():
    # given a bare forward with no words of the sender's own
    text = ("---------- Forwarded message ---------\nFrom: Obchod <info@obchod.test>\nDate: 1. 12. 2026\n\n"
            "Váš nárok zamítáme.")
    # when
    new_text, quoted, _ = split_reply(text)
    # then nothing is lost from what a person will read first
    assert new_text == text
    assert quoted == ""


def test_a_customer_sentence_ending_in_a_colon_is_not_an_attribution():
    # given a customer who introduces a list
    text = "Chybí tyto položky:\n\n- nabíječka\n- kabel\n"
    # when
    new_text, quoted, signature = split_reply(text)
    # then
    assert new_text == text.strip()
    assert quoted == signature == ""


def test_a_memo_style_header_at_the_top_is_not_a_quoted_message():
    # given a customer letter that starts with To/Subject lines
    text = "To: Customer Service\nSubject: broken kettle\n\nThe kettle broke after two days."
    # when
    new_text, _, _ = split_reply(text)
    # then
    assert new_text == text


def test_split_reply_accepts_empty_and_windows_line_ends():
    assert split_reply("") == ("", "", "")
    assert split_reply("Ahoj\r\n\r\n> citace\r\n") == ("Ahoj", "> citace", "")
