"""How recognizer spans combine with the rule mentions (paperkg.nlp.model_spans), and the
term suggester the shipped recognizer uses (paperkg.nlp.suggester).

The combination tests run the real English pipeline and lexicon with a stand-in
recognizer: a component named ``scientific_ner`` that marks fixed phrases, so each test
states exactly what the model proposed.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.language import Language
from spacy.util import filter_spans

from paperkg.extract import Extractor
from paperkg.models import Paper
from paperkg.nlp.pipeline import load_english
from paperkg.nlp.suggester import FUNCTION_WORDS, term_suggester

SCIERC_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "scierc" / "dev.json"

#: phrase → SciERC label, marked by the stand-in recognizer wherever the phrase occurs
PROPOSED: dict[str, str] = {}


@Language.component("paperkg_test_fixed_recognizer")
def _fixed_recognizer(doc):
    spans = []
    for phrase, label in PROPOSED.items():
        for m in re.finditer(re.escape(phrase), doc.text):
            span = doc.char_span(m.start(), m.end(), label=label)
            if span is not None:
                spans.append(span)
    spans = filter_spans(spans)
    doc.spans["sc"] = spans
    doc.spans["sc"].attrs["scores"] = numpy.full((len(spans), 1), 0.9, dtype="f")
    return doc


@pytest.fixture(scope="module")
def model_extractor():
    nlp = load_english.__wrapped__()  # a private copy: the cached pipeline stays untouched
    nlp.add_pipe("paperkg_test_fixed_recognizer", name="scientific_ner")
    return Extractor(nlp)


def _mentions(extractor, abstract, proposed):
    PROPOSED.clear()
    PROPOSED.update(proposed)
    ex = extractor.extract_paper(Paper(id="p1", title="A study", abstract=abstract))
    return [m for m in ex.mentions if m.field == "abstract"]


def _by_text(mentions):
    return {m.text: m for m in mentions}


def test_recognizer_extent_around_a_known_name_keeps_the_name(model_extractor):
    text = "We revisit RANSAC techniques for matching."
    found = _by_text(_mentions(model_extractor, text, {"RANSAC techniques": "Method"}))
    ransac = found["RANSAC"]
    assert ransac.key == "RANSAC" and ransac.type == "Method"
    assert text[slice(*ransac.extent)] == "RANSAC techniques"
    assert "RANSAC techniques" not in found  # no second node for the longer phrase


def test_extent_covers_a_defined_abbreviation_and_its_long_form(model_extractor):
    text = "We fit the model with the Expectation-Maximization (EM) algorithm on speech."
    mentions = _mentions(model_extractor, text, {"Expectation-Maximization (EM) algorithm": "Method"})
    em_key = next(m.key for m in mentions if m.text == "EM")
    em = [m for m in mentions if m.key == em_key]
    assert {m.text for m in em} == {"Expectation-Maximization", "EM"}
    assert {text[slice(*m.extent)] for m in em} == {"Expectation-Maximization (EM) algorithm"}


def test_extent_over_x_based_approach_and_a_dataset_names_data_noun(model_extractor):
    text = "We propose a decision tree based approach and test it on Switchboard dialogues."
    proposed = {"decision tree based approach": "Method", "Switchboard dialogues": "Material"}
    found = _by_text(_mentions(model_extractor, text, proposed))
    assert text[slice(*found["decision tree"].extent)] == "decision tree based approach"
    assert found["Switchboard"].type == "Dataset"
    assert text[slice(*found["Switchboard"].extent)] == "Switchboard dialogues"


def test_name_as_a_modifier_is_not_extended(model_extractor):
    # "mutual information" is a modifier of "maximization": the span names something else
    text = "Our objective is mutual information maximization between views."
    found = _by_text(_mentions(model_extractor, text, {"mutual information maximization": "Task"}))
    assert found["mutual information"].extent == (found["mutual information"].start, found["mutual information"].end)


def test_recognizer_adds_an_unknown_term_with_its_confidence(model_extractor):
    text = "Sensors suffer from glimmer drift in winter."
    found = _by_text(_mentions(model_extractor, text, {"glimmer drift": "OtherScientificTerm"}))
    m = found["glimmer drift"]
    assert (m.type, m.origin, m.confidence) == ("Concept", "model", pytest.approx(0.9))


def test_min_confidence_filters_new_names_but_not_extents(model_extractor):
    from paperkg.extract import Extractor

    strict = Extractor(model_extractor.nlp, model_extractor.lexicon, min_confidence=0.95)  # stand-in scores 0.9
    text = "We revisit RANSAC techniques and glimmer drift."
    found = _by_text(_mentions(strict, text, {"RANSAC techniques": "Method", "glimmer drift": "OtherScientificTerm"}))
    assert "glimmer drift" not in found
    assert text[slice(*found["RANSAC"].extent)] == "RANSAC techniques"
    assert "glimmer drift" in _by_text(_mentions(model_extractor, text, {"glimmer drift": "OtherScientificTerm"}))
    with pytest.raises(ValueError, match="between 0 and 1"):
        Extractor(model_extractor.nlp, model_extractor.lexicon, min_confidence=2)


def test_material_maps_to_dataset_only_for_names_and_bodies_of_data(model_extractor):
    text = "We test on the Zorblax corpus, on news articles from many outlets and on Polish prosody."
    proposed = {"Zorblax corpus": "Material", "news articles": "Material", "Polish prosody": "Material"}
    found = _by_text(_mentions(model_extractor, text, proposed))
    assert any(m.type == "Dataset" and "Zorblax" in m.text for m in found.values())
    assert found["news articles"].type == "Dataset"  # a phrase headed by a data noun
    assert found["Polish prosody"].type == "Concept"  # material, but not data


def test_recognizer_label_replaces_a_head_word_guess_but_not_a_known_type(model_extractor):
    # "exchange rule" is a plain noun phrase the rules type by its head ("rule": Concept);
    # the recognizer, which read the context, calls the same phrase a Method. The lexicon's
    # "question answering" stays a Task whatever the recognizer says.
    text = ("We study the exchange rule for trading agents. The exchange rule is applied to "
            "question answering.")
    rules_only = _by_text(_mentions(model_extractor, text, {}))
    assert rules_only["exchange rule"].type != "Method"
    found = _by_text(_mentions(model_extractor, text, {"exchange rule": "Method", "question answering": "Method"}))
    assert found["exchange rule"].type == "Method"
    assert found["question answering"].type == "Task"


def test_label_types_a_grammar_found_name_only_where_the_name_heads_the_span(model_extractor):
    from paperkg.nlp.candidates import Candidate
    from paperkg.nlp.model_spans import ModelSpan, combine_model_spans

    text = "We build dialogue management systems."
    doc = model_extractor.nlp(text)
    name = Candidate(2, 4, "Task", "dialogue management", "np")  # "dialogue management"
    lexicon = model_extractor.lexicon
    wrapped, = combine_model_spans(doc, [name], [ModelSpan(2, 5, "Method", 0.9)], lexicon, text)
    assert (wrapped.type, wrapped.extent) == ("Task", (2, 5))  # "systems" is what makes it a Method
    same, = combine_model_spans(doc, [name], [ModelSpan(2, 4, "Method", 0.9)], lexicon, text)
    assert (same.type, same.extent) == ("Method", None)
    lexical, = combine_model_spans(doc, [dataclasses.replace(name, origin="lexicon")], [ModelSpan(2, 4, "Method", 0.9)],
                                   lexicon, text)
    assert lexical.type == "Task"


def test_wrapper_word_types_a_coined_name_the_rules_could_not_type(model_extractor):
    # "RM" is a coined name with no type from the rules (its shape alone says Method);
    # the word the recognizer's span adds after them says what they are
    text = "We report results on the RM task and on the ATIS corpus with the KDS system."
    rules_only = _by_text(_mentions(model_extractor, text, {}))
    assert rules_only["RM"].type == "Method"
    found = _by_text(_mentions(model_extractor, text, {"RM task": "Task", "ATIS corpus": "Material",
                                                        "KDS system": "Method"}))
    assert (found["RM"].type, found["ATIS"].type, found["KDS"].type) == ("Task", "Dataset", "Method")
    start, end = found["RM"].extent
    assert text[start:end] == "RM task"


def test_generic_and_long_spans_are_dropped(model_extractor):
    text = ("The approach uses features. We train histogram-based multi-scale interest point detector "
            "cascades and it works.")
    proposed = {"approach": "Method", "features": "OtherScientificTerm", "it": "Generic",
                "histogram-based multi-scale interest point detector cascades": "Method"}
    texts = {m.text for m in _mentions(model_extractor, text, proposed)}
    assert not texts & {"approach", "features", "it", "histogram-based multi-scale interest point detector cascades"}


def test_recognizer_span_crossing_a_known_name_is_dropped(model_extractor):
    text = "A variational autoencoder model learns fast."
    found = _by_text(_mentions(model_extractor, text, {"autoencoder model learns": "Method"}))
    assert "variational autoencoder" in found
    assert not any("learns" in t for t in found)


def test_extraction_record_carries_extent_and_confidence(model_extractor):
    from paperkg.export.extraction import to_extraction_records
    from paperkg.resolve import resolve_entities

    PROPOSED.clear()
    PROPOSED.update({"RANSAC techniques": "Method", "glimmer drift": "OtherScientificTerm"})
    ex = model_extractor.extract_paper(Paper(id="p1", title="A study",
                                             abstract="We revisit RANSAC techniques and glimmer drift."))
    record = next(to_extraction_records([ex], resolve_entities([ex], lexicon=model_extractor.lexicon)))
    by_text = {m["text"]: m for m in record["mentions"]}
    assert by_text["RANSAC"]["extent"] == [11, 28]
    assert by_text["glimmer drift"]["confidence"] == pytest.approx(0.9)
    assert "extent" not in by_text["glimmer drift"] and "confidence" not in by_text["RANSAC"]


# -- the term suggester -------------------------------------------------------------------


def test_term_suggester_skips_function_word_and_punctuation_edges():
    doc = spacy.blank("en")("training of deep nets , which is fast")
    spans = [doc[s:e] for s, e in term_suggester([doc], max_size=5).dataXd.tolist()]
    assert spans, "no spans suggested"
    for span in spans:
        assert span[0].lower_ not in FUNCTION_WORDS and span[-1].lower_ not in FUNCTION_WORDS
        assert span[0].text != "," and span[-1].text != ","
    assert "training of deep nets" in {s.text for s in spans}


def test_term_suggester_never_crosses_a_sentence_break():
    doc = spacy.blank("en")("deep nets work . graph models help ; kernels : fast")
    texts = {doc[s:e].text for s, e in term_suggester([doc], max_size=10).dataXd.tolist()}
    assert {"deep nets work", "graph models help", "kernels", "fast"} <= texts
    assert not any(brk in t.split() for t in texts for brk in (".", ";", ":"))


def test_term_suggester_handles_empty_and_short_docs():
    nlp = spacy.blank("en")
    out = term_suggester([nlp(""), nlp("the"), nlp("VAE")], max_size=10)
    assert out.lengths.tolist() == [0, 0, 1]


@pytest.mark.skipif(not SCIERC_DEV.is_file(), reason="../shared/scierc absent")
def test_term_suggester_keeps_nearly_all_scierc_entities():
    from paperkg.scierc import read_scierc

    nlp = spacy.blank("en")
    kept = total = suggested = ngrams = 0
    for sdoc in read_scierc(SCIERC_DEV):
        doc = spacy.tokens.Doc(nlp.vocab, words=list(sdoc.tokens))
        spans = {tuple(x) for x in term_suggester([doc], max_size=10).dataXd.tolist()}
        suggested += len(spans)
        ngrams += sum(min(10, len(doc) - i) for i in range(len(doc)))
        for ent in sdoc.entities:
            if ent.label != "Generic" and ent.end - ent.start <= 10:
                total += 1
                kept += (ent.start, ent.end) in spans
    assert kept / total >= 0.99
    assert suggested / ngrams <= 0.45
