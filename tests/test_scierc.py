"""Tests for paperkg.scierc: reading DyGIE-format SciERC, flattening spans, scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from paperkg.errors import InputError
from paperkg.scierc import (
    Score,
    SciercSpan,
    gold_char_spans,
    parse_scierc_doc,
    read_scierc,
    score_spans,
    select_ner_spans,
    to_doc,
    to_docbin,
    token_offsets,
    unescape_token,
)

TINY = Path(__file__).parent / "fixtures" / "scierc_tiny.json"


def test_unescape_token_brackets_only():
    assert [unescape_token(t) for t in ["-LRB-", "-RRB-", "-LSB-", "-RSB-", "-LRB-x"]] == ["(", ")", "[", "]", "-LRB-x"]


def test_token_offsets_single_spaces():
    assert token_offsets(["a", "bc", "("]) == [(0, 1), (2, 4), (5, 6)]


def test_read_scierc_text_offsets_and_entities():
    docs = list(read_scierc(TINY))
    assert [d.doc_key for d in docs] == ["tiny-1", "tiny-2", "tiny-3"]
    d = docs[0]
    # -LRB- GNN -RRB- is turned back into brackets; text is the tokens joined by spaces
    assert d.text.startswith("We propose a graph neural network ( GNN ) for molecule property prediction .")
    assert all(d.text[s:e] == t for (s, e), t in zip(d.offsets, d.tokens))
    assert d.sentence_starts == (0, 14)
    surfaces = {(d.text[s.start_char : s.end_char], s.label) for s in d.entities}
    assert ("GNN", "Method") in surfaces
    # nested spans are all kept on the document
    assert ("molecule property prediction", "Task") in surfaces
    assert ("property prediction", "Task") in surfaces
    assert ("approach", "Generic") in surfaces


def test_parse_scierc_doc_index_is_inclusive_and_global():
    d = parse_scierc_doc({"sentences": [["a", "b"], ["c", "d"]], "ner": [[], [[2, 3, "Task"]]]})
    assert d.entities == (SciercSpan(2, 4, "Task", 4, 7),)
    assert d.text[4:7] == "c d"


def test_parse_scierc_doc_rejects_out_of_range_entity():
    with pytest.raises(InputError, match="outside the document"):
        parse_scierc_doc({"sentences": [["a"]], "ner": [[[0, 1, "Task"]]]}, source="f.json:3")


def test_read_scierc_reports_file_and_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"sentences": [["a"]], "ner": [[]]}) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.json:2"):
        list(read_scierc(path))


def test_read_scierc_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read SciERC file"):
        list(read_scierc(tmp_path / "nope.json"))


def test_select_ner_spans_longest_wins_and_generic_dropped():
    outer = SciercSpan(0, 3, "Task", 0, 20)
    inner = SciercSpan(1, 3, "Task", 5, 20)
    generic = SciercSpan(4, 5, "Generic", 21, 25)
    other = SciercSpan(3, 4, "Method", 21, 22)
    assert select_ner_spans([inner, generic, outer, other]) == [outer, other]
    # keeping Generic: it does not overlap the others, so it stays too
    assert select_ner_spans([inner, generic, outer], drop_labels=()) == [outer, generic]


def test_select_ner_spans_tie_is_order_independent():
    a = SciercSpan(0, 2, "Method", 0, 5)
    b = SciercSpan(1, 3, "Task", 2, 8)
    assert select_ner_spans([a, b]) == select_ner_spans([b, a]) == [a]


def test_to_doc_sets_ents_sentences_and_spans():
    d = list(read_scierc(TINY))[0]
    doc = to_doc(d, spacy.blank("en").vocab, spans_key="sc")
    assert doc.text == d.text
    assert [s.start for s in doc.sents] == [0, 14]
    assert ("molecule property prediction", "Task") in {(e.text, e.label_) for e in doc.ents}
    assert "property prediction" not in {e.text for e in doc.ents}  # nested: only in spans
    assert ("property prediction", "Task") in {(s.text, s.label_) for s in doc.spans["sc"]}
    assert "Generic" not in {e.label_ for e in doc.ents}


def test_to_docbin_roundtrip_keeps_entities():
    nlp = spacy.blank("en")
    docs = list(DocBin().from_bytes(to_docbin(read_scierc(TINY)).to_bytes()).get_docs(nlp.vocab))
    assert len(docs) == 3
    assert [(e.text, e.label_) for e in docs[2].ents][:2] == [("Beam search decoding", "Method"), ("machine translation", "Task")]


def test_gold_char_spans_excludes_generic():
    d = list(read_scierc(TINY))[0]
    labels = {label for _, _, label in gold_char_spans(d)}
    assert "Generic" not in labels and "Task" in labels
    assert len(gold_char_spans(d)) == 6  # 7 entities minus one Generic


def test_score_spans_hand_computed():
    # doc 1: gold A(0,5,Method) B(10,20,Task) C(30,40,Metric) G(50,55,Generic)
    #        pred A exact+typed, B' = (12,20,Task) head-only, C with wrong label, G ignored, D spurious
    gold = [{(0, 5, "Method"), (10, 20, "Task"), (30, 40, "Metric"), (50, 55, "Generic")}]
    pred = [{(0, 5, "Method"), (12, 20, "Task"), (30, 40, "Task"), (50, 55, "Generic"), (60, 65, "Method")}]
    s = score_spans(gold, pred)
    # 3 gold, 4 pred (Generic removed on both sides)
    assert s["typed"] == Score(tp=1, n_pred=4, n_gold=3)
    assert s["untyped"] == Score(tp=2, n_pred=4, n_gold=3)
    assert s["head"] == Score(tp=3, n_pred=4, n_gold=3)
    assert s["head_typed"] == Score(tp=2, n_pred=4, n_gold=3)
    # typed F1 = 2 * (1/4) * (1/3) / (1/4 + 1/3) = 2/7
    assert s["typed"].f1 == pytest.approx(2 / 7)
    assert s["untyped"].f1 == pytest.approx(4 / 7)
    assert s["per_label"]["Method"] == Score(tp=1, n_pred=2, n_gold=1)
    assert s["per_label"]["Task"] == Score(tp=0, n_pred=2, n_gold=1)
    assert s["per_label"]["Metric"].recall == 0.0


def test_score_spans_micro_over_documents_and_head_is_one_to_one():
    # two gold spans sharing an end: one prediction ending there matches only one of them
    gold = [{(0, 9, "Task"), (4, 9, "Task")}, {(0, 3, "Method")}]
    pred = [{(2, 9, "Task")}, set()]
    s = score_spans(gold, pred)
    assert s["head"] == Score(tp=1, n_pred=1, n_gold=3)
    assert s["typed"] == Score(tp=0, n_pred=1, n_gold=3)
    assert s["head"].f1 == pytest.approx(0.5)


def test_score_spans_untyped_counts_a_doubly_labelled_span_once():
    s = score_spans([{(0, 3, "Task"), (0, 3, "Method")}], [{(0, 3, "Task")}])
    assert s["untyped"] == Score(tp=1, n_pred=1, n_gold=1)
    assert s["typed"] == Score(tp=1, n_pred=1, n_gold=2)


def test_score_spans_length_mismatch():
    with pytest.raises(ValueError, match="gold has 1 documents but pred has 0"):
        score_spans([set()], [])


def test_score_empty_is_zero():
    assert Score(0, 0, 0).f1 == 0.0
