"""Tests of paperkg.evaluate: name normalisation, gold reading and the gold metric (hand-computed)."""

from __future__ import annotations

import json

import pytest

from paperkg.errors import InputError
from paperkg.evaluate import (
    GOLD_FORMAT,
    GoldScores,
    normalize_name,
    normalize_title,
    read_gold,
    score_gold,
    validate_gold,
)


def _gold(*papers):
    return {"format": GOLD_FORMAT, "papers": [{"title": t, "entities": list(es)} for t, es in papers]}


def _g(name, etype, aliases=(), core=False):
    return {"name": name, "type": etype, "aliases": list(aliases), "core": core}


def _rec(title, *entities, mentions=()):
    """entities: (id, label, type[, aliases]); mentions: (entity id, text)."""
    ents = [{"id": e[0], "label": e[1], "type": e[2], "aliases": list(e[3]) if len(e) > 3 else []} for e in entities]
    ments = [{"entity": m[0], "text": m[1], "field": "abstract", "start": 0, "end": len(m[1])} for m in mentions]
    return {"id": title, "title": title, "entities": ents, "mentions": ments, "relations": []}


# The shared scenario, computed by hand:
#   paper A: gold VAE (core, found twice → split), CIFAR-10 (core, found via en dash),
#            posterior collapse (found with the wrong type), image denoising (core, missed);
#            predictions: VAEs, variational autoencoders, CIFAR–10, posterior collapse/Method, results (FP)
#   paper B: gold KL divergence (core, found via a mention text), FID (missed: "FID score" is no match,
#            and the "FID" alias of another prediction does not count); 3 predictions, 1 correct
#   paper C: gold MNIST (core), accuracy; no prediction record → all missed
#   an extra prediction record without gold → ignored, warned
GOLD = _gold(
    ("Paper A", [
        _g("variational autoencoder", "Method", ["VAE"], core=True),
        _g("CIFAR-10", "Dataset", core=True),
        _g("posterior collapse", "Concept"),
        _g("image denoising", "Task", core=True),
    ]),
    ("Paper B", [_g("KL divergence", "Concept", core=True), _g("FID", "Metric")]),
    ("Missing Paper", [_g("MNIST", "Dataset", core=True), _g("accuracy", "Metric")]),
)
PREDS = [
    _rec("paper   a",
         ("vae", "VAEs", "Method"), ("va", "variational autoencoders", "Method"),
         ("cifar", "CIFAR\u201310", "Dataset"), ("pc", "posterior collapse", "Method"), ("res", "results", "Concept")),
    _rec("Paper B",
         ("kl", "Kullback-Leibler", "Concept"),
         ("fids", "FID score", "Metric"),
         ("fd", "Frechet distance", "Metric", ["FID"]),
         mentions=[("kl", "KL divergence")]),
    _rec("Extra paper", ("x", "MNIST", "Dataset")),
]


def test_normalize_name_plural_rules():
    assert normalize_name("VAEs") == "vae"
    assert normalize_name("Autoencoders") == "autoencoder"
    assert normalize_name("loss") == "loss"  # "ss" is not a plural
    assert normalize_name("GAs") == "gas"  # three characters: kept
    assert normalize_name("LSTMs") == normalize_name("LSTM")


def test_normalize_name_dashes_and_spaces():
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2212-":
        assert normalize_name(f"Jensen{dash}Shannon") == "jensen-shannon"
    # the plural rule is blind: "synthesis" loses its "s" too, on both sides alike
    assert normalize_name("  text-to-image \n synthesis ") == "text-to-image synthesi"
    assert normalize_name("auto-encoder") != normalize_name("auto encoder")  # not unified
    assert normalize_name("autoencoder") != normalize_name("auto-encoder")


def test_normalize_title_case_and_whitespace():
    assert normalize_title("A  Paper\nTitle ") == normalize_title("a paper title")
    assert normalize_title("A-B") != normalize_title("A B")


def test_score_gold_hand_computed_totals():
    s = score_gold(PREDS, GOLD)
    assert isinstance(s, GoldScores)
    assert (s.n_pred, s.n_correct, s.n_gold, s.n_found) == (8, 5, 8, 4)
    assert s.precision == pytest.approx(5 / 8)
    assert s.recall == pytest.approx(4 / 8)
    assert s.f1 == pytest.approx(2 * 0.625 * 0.5 / 1.125)
    assert (s.n_core, s.n_core_found) == (5, 3)
    assert s.core_recall == pytest.approx(3 / 5)
    assert s.type_accuracy == pytest.approx(3 / 4)  # posterior collapse typed Method
    assert s.split_rate == pytest.approx(1 / 4)  # VAE matched by two predictions


def test_score_gold_per_type():
    pt = score_gold(PREDS, GOLD).per_type
    assert list(pt)[:5] == ["Method", "Dataset", "Task", "Metric", "Concept"]
    assert (pt["Method"].n_pred, pt["Method"].n_correct, pt["Method"].n_gold, pt["Method"].n_found) == (3, 3, 1, 1)
    assert (pt["Dataset"].precision, pt["Dataset"].recall) == (1.0, 0.5)
    assert (pt["Concept"].precision, pt["Concept"].recall, pt["Concept"].typed_recall) == (0.5, 1.0, 0.5)
    assert (pt["Metric"].precision, pt["Metric"].recall, pt["Metric"].f1) == (0.0, 0.0, 0.0)
    assert (pt["Task"].n_pred, pt["Task"].n_gold, pt["Task"].recall) == (0, 1, 0.0)


def test_score_gold_details_for_error_analysis():
    a, b, c = score_gold(PREDS, GOLD).details
    assert a.title == "Paper A" and a.has_prediction
    assert a.false_positives == ({"label": "results", "type": "Concept"},)
    assert a.missed == ({"name": "image denoising", "type": "Task", "core": True},)
    assert a.type_mismatches == (
        {
            "gold": "posterior collapse",
            "gold_type": "Concept",
            "predicted": "posterior collapse",
            "predicted_type": "Method",
        },
    )
    assert a.splits == ({"gold": "variational autoencoder", "predicted": ("VAEs", "variational autoencoders")},)
    assert [fp["label"] for fp in b.false_positives] == ["FID score", "Frechet distance"]
    assert not c.has_prediction and (c.n_pred, c.n_found) == (0, 0) and len(c.missed) == 2


def test_score_gold_predicted_aliases_do_not_count():
    gold = _gold(("T", [_g("FID", "Metric")]))
    pred = [_rec("T", ("fd", "Frechet distance", "Metric", ["FID"]))]
    assert score_gold(pred, gold).recall == 0.0
    pred = [_rec("T", ("fd", "Frechet distance", "Metric"), mentions=[("fd", "FID")])]
    assert score_gold(pred, gold).recall == 1.0


def test_score_gold_missing_and_extra_papers():
    s = score_gold(PREDS, GOLD)
    assert (s.n_papers, s.n_missing_papers, s.n_unmatched_records) == (3, 1, 1)
    assert len(s.warnings) == 1 and "'Extra paper'" in s.warnings[0]
    empty = score_gold([], GOLD)
    assert (empty.precision, empty.recall, empty.f1, empty.n_missing_papers) == (0.0, 0.0, 0.0, 3)


def test_score_gold_orphan_mentions_warned():
    pred = [_rec("T", ("a", "VAE", "Method"), mentions=[("zzz", "VAE")])]
    s = score_gold(pred, _gold(("T", [_g("VAE", "Method")])))
    assert s.precision == 1.0 and "1 mention(s)" in s.warnings[0]


def test_score_gold_unknown_predicted_type_gets_its_own_row():
    # a "Material" prediction is scored (precision row of its own) but never typed right
    pred = [_rec("T", ("m", "MNIST", "Material"))]
    s = score_gold(pred, _gold(("T", [_g("MNIST", "Dataset")])))
    assert (s.precision, s.recall, s.type_accuracy) == (1.0, 1.0, 0.0)
    assert (s.per_type["Material"].n_pred, s.per_type["Material"].precision) == (1, 1.0)
    assert s.per_type["Dataset"].typed_recall == 0.0


def test_score_gold_duplicate_prediction_titles_rejected():
    with pytest.raises(InputError, match="already seen in prediction record 0"):
        score_gold([_rec("T"), _rec(" t ")], _gold(("T", [])))


def test_score_gold_malformed_prediction_rejected():
    bad = {"title": "T", "entities": [{"id": "a", "label": "VAE"}], "mentions": []}  # no type
    with pytest.raises(InputError, match=r"prediction record 0\.entities\[0\]"):
        score_gold([bad], _gold(("T", [])))


def test_summary_and_to_dict():
    s = score_gold(PREDS, GOLD)
    lines = s.summary().splitlines()
    assert lines[0] == "papers 3 (1 without prediction; 1 prediction records without gold)"
    assert lines[2] == "all       0.625  0.500  0.556       8       8"
    assert lines[-1] == "core recall 0.600   type accuracy 0.750   split rate 0.250"
    d = json.loads(json.dumps(s.to_dict()))
    assert d["per_type"]["Concept"]["typed_recall"] == 0.5
    assert d["details"][0]["splits"][0]["predicted"] == ["VAEs", "variational autoencoders"]


def test_score_gold_is_deterministic():
    assert score_gold(PREDS, GOLD).to_dict() == score_gold(list(PREDS), GOLD).to_dict()


def test_read_gold_valid_file(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(_gold(("T", [{"name": "VAE", "type": "Method"}]))), encoding="utf-8")
    gold = read_gold(path)
    assert gold["papers"][0]["entities"][0] == {"name": "VAE", "type": "Method", "aliases": [], "core": False}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", r"line 1 column 2: invalid JSON"),
        (json.dumps({"format": "other", "papers": []}), r"format: expected 'paperkg-gold/1'"),
        (json.dumps({"format": GOLD_FORMAT}), r"papers: expected a list"),
        (json.dumps(_gold(("T", [{"name": "x", "type": "Material"}]))), r"entities\[0\]\.type: expected one of Method"),
        (json.dumps(_gold(("T", [{"name": " ", "type": "Task"}]))), r"papers\[0\]\.entities\[0\]\.name"),
        (json.dumps(_gold(("T", [{"name": "x", "type": "Task", "aliases": "y"}]))), r"\.aliases: expected a list"),
        (json.dumps(_gold(("T", [{"name": "x", "type": "Task", "core": "yes"}]))), r"\.core: expected true or false"),
        (json.dumps(_gold(("T", []), ("t ", []))), r"papers\[1\]\.title: duplicate of papers\[0\]"),
    ],
)
def test_read_gold_invalid_names_path_and_problem(tmp_path, content, message):
    path = tmp_path / "gold.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        read_gold(path)
    assert str(path) in str(info.value)


def test_read_gold_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read the gold file"):
        read_gold(tmp_path / "nope.json")


def test_validate_gold_does_not_modify_input():
    gold = _gold(("T", [{"name": "VAE", "type": "Method"}]))
    validate_gold(gold)
    assert gold["papers"][0]["entities"][0] == {"name": "VAE", "type": "Method"}


def test_score_scierc_runs_the_extraction_path_on_a_tiny_file(extractor):
    # three hand-written abstracts in SciERC format: the scorer maps types back and counts
    from pathlib import Path

    from paperkg.evaluate import score_scierc

    fixture = Path(__file__).resolve().parent / "fixtures" / "scierc_tiny.json"
    scores = score_scierc(fixture, extractor=extractor)
    assert scores["documents"] == 3
    for scope in ("untyped", "typed", "head", "head_typed"):
        assert 0.0 <= scores[scope].f1 <= 1.0
    assert scores["untyped"].n_gold > 0 and scores["untyped"].tp > 0
    assert scores["typed"].tp <= scores["untyped"].tp <= scores["head"].tp
