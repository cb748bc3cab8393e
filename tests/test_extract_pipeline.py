"""The extractor is one spaCy pipeline: settings in its config, pattern data through
`initialize`, saved with `to_disk` and loaded back with `spacy.load`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from casualties.extract import LEXICON_PIPE, PIPELINE_NAME, PIPELINE_VERSION, leads, load_pipeline
from casualties.extract.figures import PIPE_NAME as FIGURES_PIPE
from casualties.extract.records import doc_figures
from casualties.extract.lexicon import LEXICON_FILES, PATTERNS_DIR
from casualties.extract.lexicon_pipe import LEXICON_SPANS

SENTENCES = (
    "Gunmen killed three villagers and wounded 12 others near the market on Sunday.",
    "At least 40 people died when the ferry capsized, officials said.",
    "The death toll from the storm rose to 17.",
    "Police said a man was shot dead outside his home.",
)


def figures_of(nlp: Language, text: str) -> list[tuple[str, int | None, str]]:
    return [(figure.casualty_type, figure.value, figure.qualifier) for figure in doc_figures(nlp(text))]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="module")
def saved(nlp: Language, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pipeline")
    nlp.to_disk(folder)
    return folder


def test_a_saved_pipeline_loads_back_and_finds_the_same_figures(nlp: Language, saved: Path) -> None:
    loaded = spacy.load(saved)
    assert loaded.pipe_names == nlp.pipe_names
    assert (loaded.meta["name"], loaded.meta["version"]) == (PIPELINE_NAME, PIPELINE_VERSION)
    assert sorted(path.name for path in (saved / LEXICON_PIPE).iterdir()) == sorted(LEXICON_FILES)
    assert loaded.get_pipe(leads.PIPE_NAME).countries == nlp.get_pipe(leads.PIPE_NAME).countries
    assert "pakistan" in loaded.get_pipe(leads.PIPE_NAME).countries
    found = [figures_of(nlp, text) for text in SENTENCES]
    assert found[0] == [("killed", 3, "exact"), ("injured", 12, "exact")]
    assert found[2] == [("killed", 17, "exact")]
    assert [figures_of(loaded, text) for text in SENTENCES] == found


def test_a_setting_changed_in_the_config_changes_what_the_pipeline_does(saved: Path) -> None:
    loaded = spacy.load(saved)
    exact_case = spacy.load(saved, config={"components": {LEXICON_PIPE: {"phrase_matcher_attr": "ORTH"}}})
    assert exact_case.config["components"][LEXICON_PIPE]["phrase_matcher_attr"] == "ORTH"
    shouting = "Gunmen KILLED four guards at the checkpoint."
    assert figures_of(loaded, shouting) == [("killed", 4, "exact")]
    assert figures_of(exact_case, shouting) == []  # the lexicon writes 'killed', not 'KILLED'

    headed = "03/14/2012: On Wednesday, gunmen attacked a bus."
    assert [token.text for token in loaded(headed) if token.is_sent_start] == ["03/14/2012", "On"]
    short_heading = spacy.load(saved, config={"components": {leads.HEADING_PIPE_NAME: {"max_heading_tokens": 1}}})
    assert [token.text for token in short_heading(headed) if token.is_sent_start] == ["03/14/2012"]


def test_the_pattern_data_comes_through_initialize(nlp: Language, tmp_path: Path) -> None:
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    for name in LEXICON_FILES:
        shutil.copyfile(PATTERNS_DIR / name, patterns / name)
    with (patterns / "triggers.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"casualty_type": "killed", "forms": ["vaporised"], "transitive": True}) + "\n")
    sentence = "The raiders vaporised five sentries at dawn."
    assert figures_of(nlp, sentence) == []
    lexicon_pipe = nlp.get_pipe(LEXICON_PIPE)
    try:
        lexicon_pipe.initialize(nlp=nlp, patterns=str(patterns))
        assert "vaporised" in lexicon_pipe.lexicon.triggers
        assert figures_of(nlp, sentence) == [("killed", 5, "exact")]
    finally:
        lexicon_pipe.initialize(nlp=nlp)
    assert figures_of(nlp, sentence) == []


def test_the_figure_finder_reads_the_words_the_lexicon_pipe_marked(nlp: Language) -> None:
    doc = nlp("Two soldiers were killed.")
    assert [(span.text, span.label_) for span in doc.spans[LEXICON_SPANS]] == [("killed", "TRIGGER")]
    assert nlp.get_pipe(FIGURES_PIPE).lexicon is nlp.get_pipe(LEXICON_PIPE).lexicon


def lead_read_as_places(nlp: Language, country: str) -> Doc:
    """'On Monday, in Brellin, COUNTRY, two militants shot a guard.' as the parser misreads
    such leads: the attackers one more place of the list, their verb a modifier of them."""
    words = ["On", "Monday", ",", "in", "Brellin", ",", country, ",", "two", "militants", "shot", "a", "guard", "."]
    heads = [0, 0, 0, 0, 3, 4, 4, 6, 9, 6, 9, 12, 10, 0]
    deps = ["ROOT", "pobj", "punct", "prep", "pobj", "punct", "appos", "punct", "nummod", "appos", "acl", "det", "dobj", "punct"]
    pos = ["ADP", "PROPN", "PUNCT", "ADP", "PROPN", "PUNCT", "PROPN", "PUNCT", "NUM", "NOUN", "VERB", "DET", "NOUN", "PUNCT"]
    tags = ["IN", "NNP", ",", "IN", "NNP", ",", "NNP", ",", "CD", "NNS", "VBD", "DT", "NN", "."]
    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags)


def test_the_country_names_that_close_a_lead_come_through_initialize(nlp: Language) -> None:
    lead_subjects = nlp.get_pipe(leads.PIPE_NAME)

    def subjects_of_shot(country: str) -> list[str]:
        doc = lead_subjects(lead_read_as_places(nlp, country))
        return [child.text for child in doc[10].children if child.dep_ == "nsubj"]

    assert subjects_of_shot("Pakistan") == ["militants"]
    assert subjects_of_shot("Freedonia") == []  # no country: the lead may go on
    try:
        lead_subjects.initialize(nlp=nlp, countries=["Freedonia"])
        assert subjects_of_shot("Freedonia") == ["militants"]
        assert subjects_of_shot("Pakistan") == []
    finally:
        lead_subjects.initialize(nlp=nlp)
    assert subjects_of_shot("Pakistan") == ["militants"]
