"""Organizations by role: who speaks in a statement, and whom it only names.

A statement names many organizations: its authors and signatories, and those it
criticises, defends or addresses (a statement against a university faculty
names the faculty).  The organization facet filters by authors and signatories
("by", the default); "mentions" is every organization the text names.

Authorship is read only where statements put it, and only gazetteer
organizations count (an unknown author is never guessed):

- a byline in the title or an opening heading line: "Statement by X on …",
  "X statement in connection with …", "Joint appeal of X and Y", "Заява X аб …",
  "Заявление X о …"; an opening line that is an organization's name ("AMNESTY
  INTERNATIONAL" above "PUBLIC STATEMENT"); a "Source: X" / "Крыніца: X" line;
- the organization speaking in the title or the first paragraph: "X calls on …",
  "X and Y note that …", "X потребовала …", "заявил X", "паведамляе X";
- an opening apposition: "We, X and Y, call on …", "Мы, X, патрабуем …";
- a signatory list: "signed by X, Y", "Заяву падпісалі X і Y", "Подписали: …",
  a "Signatories:" heading and what follows it;
- a closing block of organization names: one per line, a comma list, or a
  signature line ("— Viasna").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .gazetteer import Gazetteer

_NOUNS = (
    # nouns only: "demand", "call", "address" are verbs as often ("demand release of X")
    r"(?:joint\s+)?(?:statement|appeal|declaration|open\s+letter|letter"
    r"|resolution|press\s+release|communiqu[eé]|petition)s?"
    r"|(?:сумесная\s+|агульная\s+)?(?:заява|зварот|адкрыты\s+ліст|ліст|дэкларацыя|рэзалюцыя"
    r"|пазіцыя|петыцыя)"
    r"|(?:совместное\s+|общее\s+)?(?:заявление|обращение|открытое\s+письмо|письмо|декларация"
    r"|резолюция|позиция|петиция)"
)
_BY = r"(?:by|of|from)"
# Words that end a byline: what follows is the statement's subject or addressee.
_STOP_WORDS = (
    r"on|about|regarding|concerning|in|against|to|for|over|following|after|at|with|as|amid"
    r"|аб|пра|у|ў|па|супраць|да|на|з|наконт|адносна|дзеля"
    r"|о|об|про|в|во|по|против|к|ко|на|с|со|относительно|для"
)
_STOP = re.compile(rf"[.:;!?()\[\]\n—–]|\s-\s|(?<!\w)(?:{_STOP_WORDS})(?!\w)", re.IGNORECASE)
_BYLINE_AFTER = re.compile(rf"(?<!\w)(?:{_NOUNS})(?:\s+{_BY})?(?!\w)", re.IGNORECASE)
_BYLINE_BEFORE = re.compile(rf"[\s'’s]*(?:{_NOUNS})(?!\w)", re.IGNORECASE)
_SOURCE = re.compile(r"(?<!\w)(?:source|крыніца|источник)\s*:", re.IGNORECASE)
_EN_SPEECH = (
    r"(?:call|urge|demand|condemn|express|note|state|declare|insist|appeal|reiterate"
    r"|highlight|renew|ask|recogni[sz]e|consider|believe|welcome|protest|announce|launch"
    r"|report|warn|stress|deplore|denounce)(?:s|es|d|ed)?"
)
_CYRILLIC_SPEECH = (
    r"патрабу\w*|запатрабава\w*|заклік\w*|заяві\w*|заяўля\w*|асуджа\w*|асудзі\w*"
    r"|выказ\w*|адзнача\w*|адзначы\w*|лічыць|прызна\w*|звярну\w*|настойва\w*"
    r"|паведам\w*|нагадва\w*"
    r"|требу\w*|потребова\w*|призыва\w*|призвал\w*|заявил\w*|заявля\w*|осужда\w*"
    r"|осудил\w*|выража\w*|выразил\w*|отмеча\w*|отметил\w*|считает|признал\w*"
    r"|обратил\w*|настаива\w*|сообща\w*|сообщил\w*|напомина\w*"
)
# after the organization: an abbreviation in brackets, "today", an auxiliary, an adverb
_SUBJECT_GAP = (
    r"[\"»”'’]?(?:\s*\([^()]{1,40}\))?(?:\s+(?:today|has|have|had|also|again|once\s+again"
    r"|[\w-]+ly|сёння|сегодня|таксама|также|снова|зноў))*\s+"
)
_SPEAKS_AFTER = re.compile(
    rf"{_SUBJECT_GAP}(?:{_EN_SPEECH}|{_CYRILLIC_SPEECH})(?!\w)", re.IGNORECASE
)
# Russian and Belarusian put the verb first: "сообщает лишенный регистрации ПЦ «Весна»"
_SPEAKS_BEFORE = re.compile(
    rf"(?<!\w)(?:{_CYRILLIC_SPEECH})(?:\s+[а-яёіў-]+){{0,4}}\s+$", re.IGNORECASE
)
_SENTENCE_MARKS = (". ", "\n", "! ", "? ", " - ", " – ", " — ")
_WE = re.compile(r"(?<!\w)(?:We|Мы)\s*,\s*")
_APPOSITION_END = re.compile(r",\s+(?=[^\W\d_A-ZА-ЯЁІЎ])|[.!?;:\n]")
# Words that introduce the signatories of a joint statement, in en/be/ru.
_SIGNED_BY = (
    *(r"signed\s+by", "signatories", "undersigned", r"co-signed\s+by", r"signed\s*:"),
    *("падпісал(?:і|ася|іся)", "падпісанты", "подпісы"),
    *("подписал(?:и|ась|ись)", "подписанты", "подписи"),
)
_SIGNED = re.compile(rf"(?<!\w)(?:{'|'.join(_SIGNED_BY)})(?!\w)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n\s*\n")
HEADING_MAX = 200  # an opening line longer than this is a paragraph, not a heading
HEADING_LINES = 3
PARAGRAPH_WORDS = 8  # fewer words: a date, source or title line above the first paragraph
LIST_LINE_MAX = 120
LIST_LINE_WORDS = 14
SIGNATURE_SHARE = 0.7  # of a line's letters in organization names, for a signature line


@dataclass(frozen=True)
class OrganizationRoles:
    by: list[str]  # authors and signatories
    mentions: list[str]  # every organization the text names, authors included


def organization_roles(title: str, body: str, gazetteer: Gazetteer) -> OrganizationRoles:
    """The organizations a statement is by, and all that it names, in order of mention."""
    title = unicodedata.normalize("NFC", title)
    body = unicodedata.normalize("NFC", body)
    by: dict[str, None] = {}
    opening = _opening_lines(body)
    for heading in [title, *opening]:
        by.update(dict.fromkeys(_byline(heading, gazetteer)))
    for line in opening:
        share, entries = _coverage(line, gazetteer)
        if share >= SIGNATURE_SHARE:
            by.update(dict.fromkeys(entries))
        if source := _SOURCE.search(line):
            by.update(dict.fromkeys(gazetteer.find(line[source.end() :])))
    for text in (title, _first_paragraph(body)):
        by.update(dict.fromkeys(_speakers(text, gazetteer)))
    mentions = gazetteer.mentions(body)
    by.update(dict.fromkeys(_apposition(body, mentions)))
    by.update(dict.fromkeys(_signed(body, mentions)))
    by.update(dict.fromkeys(_closing_block(body, gazetteer)))
    named = dict.fromkeys(entry for _, _, entry in gazetteer.mentions(title))
    named.update(dict.fromkeys(entry for _, _, entry in mentions))
    return OrganizationRoles(list(by), list({**by, **named}))


def _opening_lines(body: str) -> list[str]:
    lines = [line.strip() for line in body.strip().splitlines() if line.strip()]
    return [line for line in lines[:HEADING_LINES] if len(line) <= HEADING_MAX]


def _first_paragraph(body: str) -> str:
    """The first paragraph that is not a heading line (a date, a source line, a title)."""
    for paragraph in re.split(r"\n\s*\n", body.strip()):
        if len(paragraph.split()) >= PARAGRAPH_WORDS:
            return paragraph
    return ""


def _speakers(text: str, gazetteer: Gazetteer) -> list[str]:
    """Organizations that say something in ``text``: "X calls on …", "заявіла X"."""
    found: list[str] = []
    mentions = gazetteer.mentions(text)
    for index, (start, end, entry) in enumerate(mentions):
        sentence_start = max(
            (
                at + len(mark) - 1
                for mark in _SENTENCE_MARKS
                if (at := text.rfind(mark, 0, start)) >= 0
            ),
            default=-1,
        )
        before = text[sentence_start + 1 : start]
        # the subject: first in its sentence, or after other organizations joined by "and"
        joined = [e for s, _, e in mentions[:index] if s > sentence_start]
        opens = re.fullmatch(r"[\s\W]*(?:the|The)?\s*[\w-]*\s*", before) is not None
        if (opens or joined) and _SPEAKS_AFTER.match(text, end):
            found += [*joined, entry]
        elif _SPEAKS_BEFORE.search(before):  # "заявіў Праваабарончы цэнтр «Вясна»"
            found.append(entry)
    return found


def _stretch_end(text: str, start: int) -> int:
    stop = _STOP.search(text, start)
    return stop.start() if stop else len(text)


def _byline(heading: str, gazetteer: Gazetteer) -> list[str]:
    """Organizations a heading names as the statement's authors."""
    found: list[str] = []
    mentions = gazetteer.mentions(heading)
    for noun in _BYLINE_AFTER.finditer(heading):
        end = _stretch_end(heading, noun.end())
        found += [entry for start, _, entry in mentions if noun.end() <= start < end]
    for start, end, entry in mentions:  # "Viasna statement on …", "BAJ's appeal"
        if _BYLINE_BEFORE.match(heading, end):
            before = heading[:start]
            # the organization opens the heading or follows another author ("X and Y statement")
            if not before.strip() or re.search(r"(?:,|\band|\bі|\bи)\s*$", before):
                found.append(entry)
                found += [e for s, _, e in mentions if s < start]
    return found


def _apposition(body: str, mentions: list[tuple[int, int, str]]) -> list[str]:
    """ "We, X and Y, demand …": the organizations between "We," and the verb."""
    found: list[str] = []
    for we in _WE.finditer(body):
        end_match = _APPOSITION_END.search(body, we.end())
        end = end_match.start() if end_match else len(body)
        found += [entry for start, _, entry in mentions if we.end() <= start < end]
    return found


def _signed(body: str, mentions: list[tuple[int, int, str]]) -> list[str]:
    """Organizations listed after "signed by", "Падпісалі", a "Signatories:" heading."""
    found: list[str] = []
    for signed in _SIGNED.finditer(body):
        rest = body[signed.end() :]
        line_rest = rest.split("\n", 1)[0].strip(" :–—-")
        if not line_rest or rest.lstrip(" ").startswith(":\n"):
            end = len(body)  # a heading: the list is what follows
        else:
            stop = _SENTENCE_END.search(body, signed.end())
            end = stop.start() if stop else len(body)
            if body[signed.end() : end].rstrip().endswith(":"):
                end = len(body)
        found += [entry for start, _, entry in mentions if signed.end() <= start < end]
    return found


def _coverage(line: str, gazetteer: Gazetteer) -> tuple[float, list[str]]:
    """The share of a line's letters inside organization names, and those organizations."""
    letters = sum(char.isalpha() for char in line)
    mentions = gazetteer.mentions(line)
    named = sum(char.isalpha() for start, end, _ in mentions for char in line[start:end])
    return (named / letters if letters else 0.0), [entry for _, _, entry in mentions]


def _is_list_line(line: str) -> bool:
    return len(line) <= LIST_LINE_MAX and len(line.split()) <= LIST_LINE_WORDS


def _closing_block(body: str, gazetteer: Gazetteer) -> list[str]:
    """Signatures that close a statement: organization names one per line, or in one list."""
    lines = [line.strip() for line in body.strip().splitlines() if line.strip()]
    block: list[str] = []
    for line in reversed(lines):
        if not _is_list_line(line):
            break
        block.insert(0, line)
    named = [_coverage(line, gazetteer) for line in block]
    signatures = [entries for share, entries in named if share >= SIGNATURE_SHARE]
    if len(block) >= 2 and len(signatures) * 2 >= len(block):
        return [entry for entries in signatures for entry in entries]
    last = lines[-1] if lines else ""
    share, entries = _coverage(last.lstrip("—–-― "), gazetteer)
    if share >= SIGNATURE_SHARE:  # one closing line that is (mostly) organization names
        return entries
    return []
