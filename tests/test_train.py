"""Tests for paperkg.train and the shipped SciERC recognizer (paperkg.nlp.scientific_ner)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import spacy

from paperkg.errors import InputError, ModelError
from paperkg.nlp import scientific_ner
from paperkg.nlp.scientific_ner import SCIENTIFIC_NER_LABELS, SPANS_KEY, load_scientific_ner, scientific_ner_path
from paperkg.scierc import read_scierc
from paperkg.train import evaluate_ner, train_ner, write_docbins

TINY = Path(__file__).parent / "fixtures" / "scierc_tiny.json"
SCIERC_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "scierc" / "dev.json"

#: Typed exact F1 of the shipped model on SciERC dev, measured when it was trained
#: (ner_model/README.md); the test allows for small numeric differences only.
SHIPPED_DEV_TYPED_F1 = 0.583


def test_write_docbins_creates_both_splits(tmp_path):
    train, dev = write_docbins(TINY, TINY, tmp_path)
    assert train.name == "train.spacy" and dev.name == "dev.spacy"
    assert train.stat().st_size > 0 and train.read_bytes() == dev.read_bytes()


def test_train_ner_learns_tiny_fixture(tmp_path):
    log = io.StringIO()
    out = train_ner(
        TINY,
        TINY,
        tmp_path / "model",
        max_epochs=30,
        # a higher learning rate and no dropout so 30 updates on three documents are enough
        overrides={
            "training.eval_frequency": 10,
            "training.patience": 0,
            "training.dropout": 0.0,
            "training.optimizer.learn_rate": 0.005,
        },
        stdout=log,
    )
    assert "typed" in log.getvalue()
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["spancat"]  # tok2vec copied into the span categorizer
    assert "before_init = null" in (out / "config.cfg").read_text()
    scores = evaluate_ner(nlp, list(read_scierc(TINY)))
    # 16 non-Generic gold spans, one nested inside another: non-overlapping output finds at most 15
    assert scores["typed"].n_gold == 16
    assert scores["typed"].recall >= 0.75
    assert scores["typed"].precision >= 0.75


def test_train_ner_missing_config(tmp_path):
    with pytest.raises(InputError, match="training config"):
        train_ner(TINY, TINY, tmp_path / "m", config=tmp_path / "nope.cfg")


def test_load_scientific_ner_runs_on_a_sentence():
    nlp = load_scientific_ner()
    assert load_scientific_ner() is nlp
    assert nlp.pipe_names == ["spancat", "paperkg_spans_to_ents"]
    assert set(nlp.get_pipe("spancat").labels) == set(SCIENTIFIC_NER_LABELS)
    doc = nlp("We train a convolutional neural network for image classification and report accuracy on ImageNet.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert found, "the shipped model found no entity in an obvious sentence"
    assert {label for _, label in found} <= set(SCIENTIFIC_NER_LABELS)
    assert ("image classification", "Task") in found
    assert found == {(s.text, s.label_) for s in doc.spans[SPANS_KEY]}


def test_load_scientific_ner_source_into_another_pipeline():
    other = spacy.blank("en")
    other.add_pipe("spancat", name="scientific_spancat", source=load_scientific_ner(set_ents=False))
    doc = other("We use a recurrent neural network for machine translation.")
    assert doc.spans[SPANS_KEY]
    assert all(s.label_ in SCIENTIFIC_NER_LABELS for s in doc.spans[SPANS_KEY])
    assert not doc.ents  # only load_scientific_ner(set_ents=True) copies spans to ents


def test_scientific_ner_path_missing_model(tmp_path, monkeypatch):
    monkeypatch.setattr(scientific_ner.resources, "files", lambda package: tmp_path)
    with pytest.raises(ModelError, match="scientific NER model is missing"):
        scientific_ner_path()


@pytest.mark.skipif(not SCIERC_DEV.is_file(), reason=f"SciERC dev split not found at {SCIERC_DEV}")
def test_shipped_model_dev_scores():
    scores = evaluate_ner(load_scientific_ner(), list(read_scierc(SCIERC_DEV)))
    assert scores["typed"].n_gold == 664
    assert scores["typed"].f1 >= SHIPPED_DEV_TYPED_F1 - 0.005
    assert scores["untyped"].f1 > scores["typed"].f1


def test_shipped_model_loads_with_plain_spacy_load():
    # the model's config names paperkg.term_suggester.v1; the installed package registers it
    # through a spaCy entry point, so a fresh interpreter needs no paperkg import
    import subprocess
    import sys

    code = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); doc = nlp('We use RANSAC techniques.'); "
            "print(nlp.get_pipe('spancat').suggester.__qualname__, len(doc.spans['sc']))")
    out = subprocess.run([sys.executable, "-c", code, str(scientific_ner_path())], capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == "make_term_suggester.<locals>.suggest"
