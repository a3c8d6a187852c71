"""Fill the fields an input record did not give, from its text (DESIGN.md section 4)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .citations import cited_ids, find_citation_spans
from .dates import extract_date
from .gazetteer import Gazetteer
from .languages import CYRILLIC
from .names import find_persons
from .persons import Mention, given_mentions, mentions_of
from .roles import organization_roles
from .snippets import placed_citations
from .statement import Statement, whole_text
from .tags import TagVocabulary

BELARUSIAN_ONLY = re.compile(r"[іўІЎ]")
RUSSIAN_ONLY = re.compile(r"[ищъИЩЪ]")
LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str:
    """en, be or ru by script and the letters only one of the two Cyrillic alphabets has.

    For three known languages this is more reliable than a statistical detector
    on short texts such as a title and a lead.
    """
    sample = text[:5000]
    cyrillic = len(CYRILLIC.findall(sample))
    if cyrillic <= len(LATIN.findall(sample)):
        return "en"
    return (
        "be" if len(BELARUSIAN_ONLY.findall(sample)) >= len(RUSSIAN_ONLY.findall(sample)) else "ru"
    )


# one sentence a language with a date, a citation and a name (written for this purpose)
WARM_UP = {
    "en": "Minsk – March 5, 2021\n\nIvan Ivanau was charged under Article 342 of the Criminal Code.",
    "be": "Мінск – 5 сакавіка 2021 г.\n\nІвана Іванава абвінавацілі па арт. 342 КК.",
    "ru": "Минск – 5 марта 2021 г.\n\nИвана Иванова обвинили по ч. 1 ст. 342 УК.",
}


@dataclass
class Extractor:
    organizations: Gazetteer
    persons: Gazetteer
    tags: TagVocabulary = field(default_factory=TagVocabulary.builtin)

    @classmethod
    def default(
        cls, organization_files: Sequence[Path] = (), person_files: Sequence[Path] = ()
    ) -> Extractor:
        return cls(
            Gazetteer.builtin("organizations", organization_files),
            Gazetteer.builtin("persons", person_files),
        )

    def _resolve(self, gazetteer: Gazetteer, names: list[str]) -> list[str]:
        """Names given in the input become gazetteer ids where known, else stay as given."""
        return list(dict.fromkeys(gazetteer.resolve(name) or name for name in names))

    def find_persons(self, text: str) -> list[str]:
        """Gazetteer ids of the persons it knows, then the keys of the others recognised.

        The gazetteer is the archivist's override: a recognised person it knows (by
        surname, gender and given name) gets its id, never a key of its own.
        """
        return self.person_mentions(text, "")[0]

    def person_mentions(self, text: str, lang: str) -> tuple[list[str], list[Mention]]:
        """`find_persons`, and the mentions the person table is built from."""
        anchors = self.persons.find(text)
        found = dict.fromkeys(anchors)
        recognised = find_persons(text)
        covered = set()
        for person in recognised:
            entry_id = self.persons.person_id(person.given, person.surname)
            covered.add(entry_id)
            found.setdefault(entry_id or person.key)
        return list(found), mentions_of(recognised, [a for a in anchors if a not in covered], lang)

    def warm_up(self) -> None:
        """Compile what the first statement of each language would (the citation
        grammar, the date and name patterns), so that a resident indexer's first
        statement is not slower than the next."""
        for lang, text in WARM_UP.items():
            self.enrich_with_mentions(Statement("warm-up", lang, text, text), {"lang"})

    def enrich(self, statement: Statement, given: set[str]) -> Statement:
        return self.enrich_with_mentions(statement, given)[0]

    def enrich_with_mentions(
        self, statement: Statement, given: set[str]
    ) -> tuple[Statement, list[Mention]]:
        """`enrich`, and the statement's person mentions (persons.py)."""
        text = whole_text(statement.title, statement.body)
        extracted: list[str] = []
        # one id per tag, however a record spells it ("Joint Statement", "сумесная заява")
        statement.tags = list(dict.fromkeys(self.tags.resolve(t) or t for t in statement.tags))
        if "lang" not in given:
            statement.lang = detect_language(text)
            extracted.append("lang")
        if "date" not in given:
            statement.date = extract_date(statement.body, statement.lang) or extract_date(
                statement.title, statement.lang
            )
            if statement.date:
                extracted.append("date")
        if "articles" not in given:
            citations = find_citation_spans(text)
            statement.articles = cited_ids(citations)
            statement.cited = placed_citations(statement.title, statement.body, citations)
            extracted.append("articles")
        roles = organization_roles(statement.title, statement.body, self.organizations)
        if "organizations" in given:
            statement.organizations = self._resolve(self.organizations, statement.organizations)
        if "authors" in given:
            statement.authors = self._resolve(self.organizations, statement.authors)
        elif "organizations" in given:  # a record that lists its organizations: its own
            statement.authors = list(statement.organizations)
        else:
            statement.authors = roles.by
            extracted.append("authors")
        if "organizations" not in given:
            statement.organizations = roles.mentions
            extracted.append("organizations")
        # an author is an organization the statement names, whether or not its text does
        named = [*statement.organizations, *statement.authors]
        statement.organizations = list(dict.fromkeys(named))
        if "persons" in given:
            statement.persons = self._resolve(self.persons, statement.persons)
            mentions = given_mentions(statement.persons, self.persons, statement.lang)
        else:
            statement.persons, mentions = self.person_mentions(text, statement.lang)
            extracted.append("persons")
        if "lead" not in given:
            extracted.append("lead")
        statement.extracted = extracted
        return statement, mentions
