"""Separating what a customer wrote now from what they quoted and from their signature.

A reply to Plaint usually carries our whole previous message below the
customer's few lines. Storing that again as "the customer said" would make the
record unreadable and would put our own words into their mouth. The rules here
are deliberately conservative: text is moved out of ``new_text`` only when a
pattern that mail clients really produce says it is quoted or a signature; and
if that would leave nothing, the whole text stays in ``new_text`` — a customer's
words must never be lost, while a few lines of quote too many do no harm.

Recognised (case-insensitive):

- lines starting with ``>`` anywhere (inline answers between quoted lines stay new);
- attribution lines before a quote, also wrapped over two or three lines:
  "On … wrote:" (en), "Dne … napsal(a):" (cs), "W dniu … napisał(a):", "… pisze:" (pl),
  "Pe … a scris:", "În … a scris:" (ro), "Em … escreveu:" (pt), "Am … schrieb …:" (de),
  and fr/es/it/nl/ru equivalents;
- Outlook, Gmail and webmail blocks that quote without ``>``: "-----Original Message-----"
  and its translations, forwarded-message markers, a line of underscores followed by a
  header block, and a "From: … Sent/Date: …" header block in the same languages;
- signatures: the "-- " delimiter, "Sent from my iPhone" and its translations, and a
  short closing block (at most four short lines) after a valediction such as
  "Best regards", "S pozdravem", "Pozdrawiam", "Cu stimă", "Atenciosamente".
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Attribution lines: "<intro> … <verb>:" — anchored at both ends, checked on one to three joined lines.
_ATTRIBUTIONS = [
    re.compile(p, _I) for p in (
        r"^-*\s*On\b.{0,300}\bwrote\s*:$",                               # en
        r"^Dne\b.{0,300}\bnapsala?(?:\s*\(a\))?\s*:$",                   # cs
        r"^.{0,300}\bnapsala?(?:\s*\(a\))?\s*:$",                        # cs, without "Dne"
        r"^(?:W\s+dniu|Dnia)\b.{0,300}\bnapisała?(?:\s*\(a\))?\s*:$",    # pl
        r"^.{0,300}\bpisze\s*:$",                                        # pl
        r"^(?:Pe|În|In)\b.{0,300}\ba\s+scris\s*:$",                      # ro
        r"^.{0,300}\ba\s+scris\s*:$",                                    # ro, without date
        r"^Em\b.{0,300}\bescreveu\s*:$",                                 # pt
        r"^.{0,300}\bescreveu\s*:$",                                     # pt, without date
        r"^Am\b.{0,300}\bschrieb\b.{0,200}:$",                           # de
        r"^Le\b.{0,300}\ba\s+écrit\s*:$",                                # fr
        r"^El\b.{0,300}\bescribió\s*:$",                                 # es
        r"^Il\b.{0,300}\bha\s+scritto\s*:$",                             # it
        r"^Op\b.{0,300}\bschreef\b.{0,200}:$",                           # nl
        r"^.{0,300}\b(?:написал|написала|пишет)\s*:$",                   # ru
    )
]
# Attributions strong enough to cut everything below even when the quote has no ">".
_STRONG_ATTRIBUTIONS = _ATTRIBUTIONS[0:2] + [_ATTRIBUTIONS[3], _ATTRIBUTIONS[5], _ATTRIBUTIONS[7]] + \
    _ATTRIBUTIONS[9:14]
# The first line of an attribution wrapped by the client: an intro word or a date, and no full stop.
_ATTRIBUTION_START = re.compile(
    r"^\s*(?:On|Dne|W\s+dniu|Dnia|Pe|În|Em|Am|Le|El|Il|Op|\d{1,4}[./-]\d{1,2}[./-]\d{1,4})\b.{0,250}"
    r"(?:[<,(\"]|\d|@[^\s>]+>?)\s*$",
    _I,
)
_STRONG_START = re.compile(r"^\s*-*\s*(?:On|Dne|W\s+dniu|Dnia|Pe|În|In|Em|Am|Le|El|Il|Op)\b", _I)
_WROTE_VERB = re.compile(r"\b(wrote|napsala?|napisała?|pisze|a\s+scris|escreveu|schrieb|a\s+écrit|escribió|"
                         r"ha\s+scritto|schreef|написала?|пишет)\b.{0,200}:$", _I)

_ORIGINAL_MARKERS = re.compile(
    r"^\s*-{2,}\s*(?:Original Message|Původní (?:e-mail|zpráva)|(?:Oryginalna|Oryginalny) wiadomość|"
    r"Wiadomość oryginalna|Mesaj(?:ul)? original|Mensagem original|Mensaje original|Ursprüngliche Nachricht|"
    r"Message d'origine|Messaggio originale|Oorspronkelijk bericht|"
    r"Forwarded message|Forwarded Message|Přeposlaná zpráva|Přeposlaný e-mail|Přeposlaná pošta|"
    r"Wiadomość przekazana(?: dalej)?|Przekazana wiadomość|Mesaj (?:redirecționat|redirecţionat|transmis)|"
    r"Mensagem encaminhada|Mensaje reenviado|Weitergeleitete Nachricht|Message transféré|"
    r"Messaggio inoltrato|Doorgestuurd bericht)\s*-{2,}\s*$",
    _I,
)
_FORWARD_INTROS = re.compile(
    r"^\s*(?:Begin forwarded message|Začátek přeposílané zprávy|Początek przekazywanej wiadomości|"
    r"Início da mensagem reencaminhada|Mensagem encaminhada|Inicio del mensaje reenviado|"
    r"Începutul mesajului redirecționat|Anfang der weitergeleiteten Nachricht)\s*:\s*$",
    _I,
)
_DASHED_LINE = re.compile(r"^\s*-{3,}\s*[^-\s][^-]{1,60}\s*-{3,}\s*$")
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_RULE = re.compile(r"^\s*(?:-{4,}|={4,}|\*{4,})\s*$")  # a horizontal rule, also what <hr> becomes
_FROM_FIELD = re.compile(
    r"^\s*\*?(?:From|Od|De|De la|Von|Van|Da|От|Від)\s*:\*?\s*\S", _I)
_DATE_FIELD = re.compile(
    r"^\s*\*?(?:Sent|Date|Odesláno|Datum|Wysłano|Wysłane|Data|Trimis|Enviado|Enviada|Enviada em|Gesendet|"
    r"Envoyé|Enviado el|Inviato|Verzonden|Отправлено|Дата)\s*:\*?", _I)
_OTHER_FIELDS = re.compile(
    r"^\s*\*?(?:To|Cc|Subject|Komu|Kopie|Předmět|Do|DW|Temat|Către|Catre|Cc|Subiect|Para|Assunto|An|Betreff|"
    r"À|Objet|Asunto|A|Oggetto|Aan|Onderwerp|Кому|Тема)\s*:\*?", _I)

_SIGNATURE_DELIMITER = re.compile(r"^-- ?$")
_DEVICE = (r"(?:iPhon\w*|iPad\w*|iPod|Android\w*|Samsung\w*|Galaxy\w*|Huawei|Xiaomi|BlackBerry|mobil\w*|"
           r"telefon\w*|smartfon\w*|celular|telemóvel|telemovel|Outlook\w*|Mail|Gmail|Yahoo|Seznam|aplikac\w*|"
           r"urządzeni\w*|dispozitiv\w*|Windows|Email|e-mail\w*)")
_MOBILE_SIGNATURE = re.compile(
    r"^\s*(?:Sent from my\b|Sent from (?:Mail|Outlook|Yahoo Mail|Gmail)\b|Get Outlook for\b|"
    rf"(?:Odesláno|Posláno) (?:z|ze|pomocí|přes) (?:mého |mé |aplikace )?{_DEVICE}|"
    rf"(?:Wysłane|Wysłano) (?:z|ze|przy użyciu|za pomocą) (?:mojego |mojej |aplikacji )?{_DEVICE}|"
    rf"Trimis (?:de pe|din|cu|de la) (?:\w+ )?{_DEVICE}|"
    rf"Enviado (?:do|de|a partir do|desde|de mi|do meu|de meu|desde mi) "
    rf"(?:meu |mi |o |aplicativo )?{_DEVICE}|"
    r"Von meinem\b.{0,60}gesendet|Gesendet von meinem\b|Envoyé de mon\b|Inviato da\b)",
    _I,
)
_VALEDICTION = re.compile(
    r"^\s*(?:Best regards|Kind regards|Warm regards|Regards|Best wishes|Best|Cheers|Thanks|Thank you|"
    r"Many thanks|Thanks again|Sincerely|Yours sincerely|Yours faithfully|Yours truly|"
    r"S pozdravem|S přátelským pozdravem|S úctou|Děkuji|Děkuji předem|Díky|Zdravím|"
    r"Pozdrawiam|Pozdrawiam serdecznie|Serdecznie pozdrawiam|Z poważaniem|Z wyrazami szacunku|Dziękuję|"
    r"Cu stimă|Cu stima|Cu respect|Cu drag|Toate cele bune|Mulțumesc|Mulţumesc|Multumesc|"
    r"Atenciosamente|Cumprimentos|Com os melhores cumprimentos|Melhores cumprimentos|Obrigad[oa]|"
    r"Abraços?|Att\.?|Atte\.?|Saudações|"
    r"Mit freundlichen Grüßen|Mit freundlichen Gruessen|Viele Grüße|Beste Grüße|Freundliche Grüße|MfG|Gruß|"
    r"Cordialement|Saludos|Un saludo|Cordiali saluti|Met vriendelijke groet)[\s,.!]*$",
    _I,
)
MAX_CLOSING_LINES = 4
MAX_CLOSING_LINE_LENGTH = 60
MAX_CLOSING_LINE_WORDS = 6


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _attribution_at(lines: list[str], start: int, patterns: list[re.Pattern[str]]) -> int:
    """Lines an attribution starting at ``start`` spans (1 to 3), or 0."""
    if not any(line.rstrip().endswith(":") for line in lines[start:start + 3]):
        return 0
    for span in (1, 2, 3):
        if start + span > len(lines):
            break
        parts = [line.strip() for line in lines[start:start + span]]
        if any(not part or part.startswith(">") for part in parts):
            break
        if any(part.endswith((".", "!", "?")) for part in parts[:-1]):
            break  # a sentence of the customer's, not a wrapped attribution
        joined = " ".join(parts)
        if len(joined) > 400 or not joined.endswith(":"):
            continue
        if any(pattern.match(joined) for pattern in patterns):
            return span
    return 0


def _is_field(line: str) -> bool:
    return bool(_FROM_FIELD.match(line) or _DATE_FIELD.match(line) or _OTHER_FIELDS.match(line))


def _header_block_at(lines: list[str], start: int) -> bool:
    """True where an Outlook-style "From: … Sent: …" block of a quoted message starts.

    The block is a run of header fields (blank lines between them allowed); it
    needs a sender field and either a date field or two more fields, so that a
    customer's own "To: … Subject: …" memo lines do not count.
    """
    if not _is_field(lines[start]) or (start > 0 and _is_field(lines[start - 1])):
        return False
    block: list[str] = []
    for line in lines[start:start + 12]:
        if not line.strip():
            continue
        if not _is_field(line) or len(block) >= 8:
            break
        block.append(line)
    has_from = any(_FROM_FIELD.match(line) for line in block)
    has_date = any(_DATE_FIELD.match(line) for line in block)
    return has_from and (has_date or len(block) >= 3)


def _cut_at(lines: list[str], index: int) -> bool:
    """True where everything from ``index`` on is an earlier message quoted without ">"."""
    line = lines[index]
    if _ORIGINAL_MARKERS.match(line) or _FORWARD_INTROS.match(line):
        return True
    if _DASHED_LINE.match(line) or _UNDERSCORES.match(line) or _RULE.match(line):
        following = _next_content(lines, index + 1)
        return following < len(lines) and (
            _header_block_at(lines, following) or bool(_FROM_FIELD.match(lines[following]))
        )
    if _header_block_at(lines, index):
        return True
    return bool(_STRONG_START.match(line)) and bool(_attribution_at(lines, index, _STRONG_ATTRIBUTIONS))


def _next_content(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _quote_header_before(lines: list[str], quote_start: int, owner: list[str]) -> list[int]:
    """Indices of the attribution line(s) just above a ">" block (blank lines between allowed)."""
    end = quote_start - 1
    while end >= 0 and not lines[end].strip():
        end -= 1
    if end < 0 or owner[end] != "new":
        return []
    for span in (1, 2, 3):
        first = end - span + 1
        if first < 0 or any(owner[i] != "new" for i in range(first, end + 1)):
            break
        if _attribution_at(lines, first, _ATTRIBUTIONS) == span:
            # a wrapped attribution whose verb matched alone: take its beginning along
            while span < 3 and first > 0 and owner[first - 1] == "new" and _ATTRIBUTION_START.match(
                lines[first - 1]
            ):
                first -= 1
                span += 1
            return list(range(first, end + 1))
        if span == 1:
            line = lines[end].strip()
            # an unknown language's attribution: a short line ending with a verb we know, or a date/address
            if line.endswith(":") and len(line) < 250 and (
                _WROTE_VERB.search(line) or ("@" in line and re.search(r"\d", line))
            ):
                return [end]
    return []


def _strip_blank_edges(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(lines)


def _signature_start(lines: list[str]) -> int | None:
    """Where the signature of the new text begins, or None.

    A "-- " line or a "Sent from my phone" line starts it; a short closing block
    after a valediction just above (or at the end) starts it earlier.
    """
    marked: int | None = None
    for index in range(len(lines) - 1, -1, -1):
        if _SIGNATURE_DELIMITER.match(lines[index]):
            marked = index
            break
    if marked is None:
        content = [i for i, line in enumerate(lines) if line.strip()]
        for index in content[-3:]:
            if _MOBILE_SIGNATURE.match(lines[index]) and len(lines[index].strip()) < 80:
                marked = index
                break
    closing = _closing_start(lines if marked is None else lines[:marked])
    if closing is not None:
        return closing
    return marked


def _closing_start(lines: list[str]) -> int | None:
    """Where a valediction starts a short closing block at the end of ``lines``, or None."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    tail = content[-(MAX_CLOSING_LINES + 1):]
    for position, index in enumerate(tail):
        if not _VALEDICTION.match(lines[index]):
            continue
        after = tail[position + 1:]
        if all(_closing_line(lines[i]) for i in after) and any(i < index for i in content):
            return index
    return None


_POSTSCRIPT = re.compile(r"^\s*(?:P\.?\s?S\.?|PS)\b", _I)


def _closing_line(line: str) -> bool:
    """A line that can follow a valediction in a signature: a name, a title, a phone, a company.

    A question, a postscript or a line of more than six words is still the message.
    """
    text = line.strip()
    return (len(text) <= MAX_CLOSING_LINE_LENGTH and not text.endswith("?") and not _POSTSCRIPT.match(text)
            and len(text.split()) <= MAX_CLOSING_LINE_WORDS)


def split_reply(text: str) -> tuple[str, str, str]:
    """Split a message body into (new_text, quoted_text, signature).

    Never loses text: ``new_text``, ``quoted_text`` and ``signature`` together hold
    every non-blank line of ``text``; when the patterns would leave ``new_text``
    empty, nothing is treated as quoted.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    owner = ["quoted" if _is_quoted(line) else "new" for line in lines]

    # ">" blocks take their attribution line(s) with them
    index = 0
    while index < len(lines):
        if owner[index] == "quoted" and (index == 0 or owner[index - 1] != "quoted"):
            for header_index in _quote_header_before(lines, index, owner):
                owner[header_index] = "quoted"
        index += 1

    # blocks quoted without ">": everything below the first marker
    for index, line in enumerate(lines):
        if owner[index] != "new" or not line.strip():
            continue
        if _cut_at(lines, index):
            for below in range(index, len(lines)):
                owner[below] = "quoted"
            break

    new_lines = [line if owner[i] == "new" else None for i, line in enumerate(lines)]
    new_only = [line for line in new_lines if line is not None]
    quoted = [line for i, line in enumerate(lines) if owner[i] == "quoted"]
    if not any(line.strip() for line in new_only):
        new_only, quoted = lines, []

    # collapse the gaps the quotes left behind
    compact: list[str] = []
    for line in new_only:
        if not line.strip() and compact and not compact[-1].strip():
            continue
        compact.append(line)
    while compact and not compact[-1].strip():
        compact.pop()

    signature_lines: list[str] = []
    start = _signature_start(compact)
    if start is not None and any(line.strip() for line in compact[:start]):
        compact, signature_lines = compact[:start], compact[start:]
    new_text = _strip_blank_edges([line.rstrip() for line in compact])
    return new_text, _strip_blank_edges(quoted), _strip_blank_edges(signature_lines)
