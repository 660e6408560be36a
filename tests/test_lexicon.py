"""Checks on the curated lexicon file ``paperkg/data/lexicon.jsonl``.

The file is read with plain :mod:`json` so these tests pin the data contract
independently of the loader in ``paperkg.nlp.lexicon``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).resolve().parents[1] / "paperkg" / "data" / "lexicon.jsonl"
TYPES = ("Method", "Dataset", "Task", "Metric", "Concept")
KEYS = ["label", "type", "aliases", "parent"]


@lru_cache(maxsize=1)
def _lines() -> tuple[str, ...]:
    return tuple(LEXICON_PATH.read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=1)
def _entries() -> tuple[dict, ...]:
    return tuple(json.loads(line) for line in _lines())


def _forms(entry: dict) -> list[str]:
    return [entry["label"], *entry["aliases"]]


def _is_cased(form: str) -> bool:
    """Single-word forms with a capital ("VAE", "ImageNet") are matched case-sensitively."""
    return len(form.split()) == 1 and any(c.isupper() for c in form)


def test_lexicon_has_at_least_700_entries():
    assert len(_entries()) >= 700


def test_lexicon_lines_are_canonical_json():
    # One object per line, no blank lines, written exactly as json.dumps(..., ensure_ascii=False).
    for lineno, line in enumerate(_lines(), 1):
        assert line == json.dumps(json.loads(line), ensure_ascii=False), f"line {lineno} is not canonical"


def test_lexicon_keys_are_ordered():
    for entry in _entries():
        assert list(entry) == KEYS, f"{entry['label']!r}: keys {list(entry)}"


def test_lexicon_fields_have_valid_values():
    for entry in _entries():
        label = entry["label"]
        assert isinstance(label, str) and label == label.strip() and label, repr(label)
        assert entry["type"] in TYPES, f"{label!r}: type {entry['type']!r}"
        assert isinstance(entry["aliases"], list), label
        for alias in entry["aliases"]:
            assert isinstance(alias, str) and alias == alias.strip() and alias, f"{label!r}: alias {alias!r}"
        assert entry["parent"] is None or isinstance(entry["parent"], str), label


def test_lexicon_is_sorted_by_type_then_label():
    keys = [(e["type"], e["label"].casefold()) for e in _entries()]
    assert keys == sorted(keys)


def test_lexicon_labels_are_unique_ignoring_case():
    seen: dict[str, str] = {}
    for entry in _entries():
        key = entry["label"].casefold()
        assert key not in seen, f"{entry['label']!r} duplicates {seen[key]!r}"
        seen[key] = entry["label"]


def test_lexicon_aliases_are_not_repeated_within_an_entry():
    for entry in _entries():
        forms = _forms(entry)
        assert len(forms) == len(set(forms)), f"{entry['label']!r} repeats a form: {forms}"


def test_lexicon_forms_map_to_exactly_one_entry():
    # Cased single-word forms compare exactly; every other form compares case-insensitively,
    # against both kinds (a lower-case form would also match a cased form of another entry).
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for entry in _entries():
        for form in set(_forms(entry)):
            if _is_cased(form):
                owner = exact.setdefault(form, entry["label"])
            else:
                owner = folded.setdefault(form.casefold(), entry["label"])
            assert owner == entry["label"], f"form {form!r} belongs to {owner!r} and {entry['label']!r}"
    for form, owner in exact.items():
        other = folded.get(form.casefold(), owner)
        assert other == owner, f"form {form!r} of {owner!r} collides with a form of {other!r}"


def test_lexicon_parents_exist_with_the_same_type():
    by_label = {e["label"]: e for e in _entries()}
    for entry in _entries():
        parent = entry["parent"]
        if parent is None:
            continue
        assert parent in by_label, f"{entry['label']!r}: parent {parent!r} is not a label"
        assert parent != entry["label"], f"{entry['label']!r} is its own parent"
        assert by_label[parent]["type"] == entry["type"], f"{entry['label']!r} ({entry['type']}) -> {parent!r}"


def test_lexicon_parent_chains_have_no_cycles():
    parent_of = {e["label"]: e["parent"] for e in _entries()}
    for label in parent_of:
        seen = set()
        while label is not None:
            assert label not in seen, f"parent cycle through {label!r}"
            seen.add(label)
            label = parent_of[label]


def test_lexicon_covers_every_type():
    counts = {t: sum(e["type"] == t for e in _entries()) for t in TYPES}
    assert all(n >= 50 for n in counts.values()), counts


def test_lexicon_examples_from_the_design_are_typed_as_documented():
    # The canonical examples in DESIGN.md, one per type.
    by_label = {e["label"]: e for e in _entries()}
    assert by_label["variational autoencoder"]["type"] == "Method"
    assert "VAE" in by_label["variational autoencoder"]["aliases"]
    assert by_label["β-VAE"]["parent"] == "variational autoencoder"
    assert by_label["CIFAR-10"]["type"] == "Dataset"
    assert by_label["domain generalization"]["type"] == "Task"
    assert by_label["Fréchet Inception Distance"]["type"] == "Metric"
    assert by_label["posterior collapse"]["type"] == "Concept"
