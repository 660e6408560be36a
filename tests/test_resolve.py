"""Corpus-wide resolution on hand-made extractions (no spaCy needed)."""

from paperkg.models import Mention, Paper, PaperExtraction
from paperkg.nlp.lexicon import Lexicon, LexiconEntry
from paperkg.resolve import resolve_entities

LEX = Lexicon([
    LexiconEntry("variational autoencoder", "Method", ("VAE", "variational auto-encoder")),
    LexiconEntry("CIFAR-10", "Dataset", ("CIFAR10",)),
])


def _ex(pid, mentions, abbreviations=()):
    paper = Paper(id=pid, title=f"title {pid}", abstract="x" * 40)
    ms = tuple(Mention(text, typ, "abstract", i * 10, i * 10 + len(text), key, origin)
               for i, (text, typ, key, origin) in enumerate(mentions))
    return PaperExtraction(paper, ms, (), tuple(abbreviations))


def test_resolve_merges_lexicon_forms_and_plurals():
    res = resolve_entities([
        _ex("a", [("VAEs", "Method", "variational autoencoder", "lexicon")]),
        _ex("b", [("Variational Auto-Encoders", "Method", "variational autoencoder", "lexicon")]),
    ], lexicon=LEX)
    assert res.entity_of("a", "variational autoencoder") == res.entity_of("b", "variational autoencoder") == "variational-autoencoder"
    ent = res.entities["variational-autoencoder"]
    assert ent.label == "variational autoencoder" and ent.type == "Method"
    assert "VAEs" in ent.aliases


def test_resolve_joins_bare_acronym_to_definition_from_another_paper():
    # paper a defines GCRL; paper b only writes "GCRL"
    res = resolve_entities([
        _ex("a", [("graph contrastive reweighting learning", "Method", "graph contrastive reweighting learning", "abbreviation")],
            abbreviations=[("GCRL", "graph contrastive reweighting learning")]),
        _ex("b", [("GCRL", "Method", "GCRL", "name")]),
    ], lexicon=LEX)
    assert res.entity_of("a", "graph contrastive reweighting learning") == res.entity_of("b", "GCRL")


def test_resolve_keeps_variants_apart():
    # "β-VAE" is not the VAE
    res = resolve_entities([
        _ex("a", [("VAE", "Method", "variational autoencoder", "lexicon"), ("β-VAE", "Method", "β-VAE", "variant")]),
    ], lexicon=LEX)
    assert res.entity_of("a", "β-VAE") != res.entity_of("a", "variational autoencoder")


def test_resolve_hyphen_and_case_variants_of_unknown_terms():
    res = resolve_entities([
        _ex("a", [("Score Matching Losses", "Method", "Score Matching Losses", "np")]),
        _ex("b", [("score-matching loss", "Method", "score-matching loss", "np")]),
    ], lexicon=LEX)
    assert res.entity_of("a", "Score Matching Losses") == res.entity_of("b", "score-matching loss")


def test_resolve_majority_type_and_stable_slug_ids():
    res = resolve_entities([
        _ex("a", [("Zorb", "Dataset", "Zorb", "name")]),
        _ex("b", [("Zorb", "Dataset", "Zorb", "name")]),
        _ex("c", [("Zorb", "Method", "Zorb", "name")]),
    ], lexicon=LEX)
    (eid,) = set(res.key_to_entity.values())
    assert eid == "zorb" and res.entities[eid].type == "Dataset"


def test_resolve_isa_from_head_word():
    # "latent variational autoencoder" is a kind of "variational autoencoder"
    res = resolve_entities([
        _ex("a", [("VAE", "Method", "variational autoencoder", "lexicon"),
                  ("latent variational autoencoder", "Method", "latent variational autoencoder", "variant")]),
    ], lexicon=LEX)
    assert ("latent-variational-autoencoder", "variational-autoencoder", ("a",)) in res.isa


def _title_only(pid, text, key, typ="Method"):
    paper = Paper(id=pid, title=f"{text} for things", abstract="x" * 40)
    return PaperExtraction(paper, (Mention(text, typ, "title", 0, len(text), key, "np"),), (), ())


def test_title_only_label_undoes_title_case_across_hyphens_but_keeps_names():
    res = resolve_entities([
        _title_only("a", "Long-Horizon Goal-Conditioned Reinforcement Learning", "Long-Horizon Goal-Conditioned Reinforcement Learning"),
        _title_only("b", "Fisher-Scaled Gradient Projection", "Fisher-Scaled Gradient Projection"),
        _title_only("c", "One-Step Diffusion Text-to-Speech", "One-Step Diffusion Text-to-Speech"),
        _title_only("d", "GP-Bridge Sampling", "GP-Bridge Sampling"),
    ], lexicon=LEX)
    labels = {e.label for e in res.entities.values()}
    assert labels == {"long-horizon goal-conditioned reinforcement learning", "Fisher-scaled gradient projection",
                      "one-step diffusion text-to-speech", "GP-Bridge sampling"}
