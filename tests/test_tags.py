"""The tag vocabulary (tags.py, data/tags.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from searcharchive.tags import TagVocabulary


def test_the_builtin_vocabulary_names_every_tag_in_three_languages() -> None:
    vocabulary = TagVocabulary.builtin()
    assert vocabulary.resolve("  Joint   STATEMENT ") == "joint statement"
    assert vocabulary.resolve("совместное заявление") == "joint statement"
    assert vocabulary.label("joint statement", "ru") == "совместное заявление"
    assert vocabulary.label("a tag nobody listed", "be") == "a tag nobody listed"
    assert vocabulary.resolve("a tag nobody listed") is None


def test_a_later_file_adds_tags_and_names(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text("- id: court watch\n  name: {en: court watch}\n", encoding="utf-8")
    second = tmp_path / "b.yaml"
    second.write_text(
        "- id: court watch\n  name: {be: назіранне за судамі}\n  aliases: [trial monitoring]\n",
        encoding="utf-8",
    )
    vocabulary = TagVocabulary.load(first, second)
    assert vocabulary.label("court watch", "be") == "назіранне за судамі"
    assert vocabulary.label("court watch", "ru") == "court watch"  # English when missing
    assert vocabulary.resolve("Trial monitoring") == "court watch"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- name: {en: x}\n", "needs an 'id'"),
        ("- id: x\n  name: [x]\n", "'name' maps"),
        ("- id: x\n  aliases: y\n", "'aliases' is a list"),
        ("- id: x\n  aliases: [z]\n- id: y\n  aliases: [Z]\n", "names both"),
        ("id: x\n", "expected a list"),
        ("- id: [\n", "cannot read"),
    ],
)
def test_a_broken_file_is_refused_with_the_reason(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "tags.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        TagVocabulary.load(path)
