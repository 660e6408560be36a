"""The curated lexicon of ML/AI names and its spaCy matcher.

The lexicon (``paperkg/data/lexicon.jsonl``) is our own list of methods, datasets,
tasks, metrics and concepts with their aliases; one JSON object per line::

    {"label": "variational autoencoder", "type": "Method", "aliases": ["VAE"], "parent": null}

Matching follows how names are written: forms with a capital letter in a single word
("VAE", "ImageNet", "Adam") match case-sensitively; lower-case and multi-word forms match
case-insensitively, with regular plurals and hyphen/space variants ("auto-encoder",
"auto encoder", "autoencoders").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..errors import InputError
from ..models import ENTITY_TYPES
from .normalize import match_key
from .tokens import merge_hyphenated

__all__ = ["LexiconEntry", "Lexicon", "LexiconMatcher", "load_lexicon", "plural", "form_variants"]


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One curated name: canonical ``label``, ``type``, ``aliases`` and optional ``parent``."""

    label: str
    type: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        """The label followed by the aliases."""
        return (self.label, *self.aliases)


def plural(word: str) -> str:
    """Regular English plural of a lower-case word.

    >>> plural("autoencoder"), plural("process"), plural("policy"), plural("VAE")
    ('autoencoders', 'processes', 'policies', 'VAEs')
    """
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _case_sensitive(form: str) -> bool:
    """Single-word forms with a capital letter ("VAE", "ImageNet") match by exact case."""
    return len(form.split()) == 1 and any(c.isupper() for c in form)


def form_variants(form: str) -> set[str]:
    """Written variants of a form: plural of the last word and hyphen/space variants.

    >>> sorted(form_variants("auto-encoder"))
    ['auto encoder', 'auto encoders', 'auto-encoder', 'auto-encoders', 'autoencoder', 'autoencoders']
    """
    out = {form}
    if "-" in form and not any(c.isdigit() for c in form):
        out |= {form.replace("-", " "), form.replace("-", "")}
    words_last_alpha = form.split()[-1][-1:].isalpha()
    if words_last_alpha and not (form.split()[-1].isupper() and len(form.split()) > 1):
        out |= {v[: len(v) - len(v.split()[-1])] + plural(v.split()[-1]) for v in list(out)}
    return out


class Lexicon:
    """The curated names, indexed by normalised form.

    Parameters
    ----------
    entries : iterable of LexiconEntry
        Labels must be unique; an alias that collides with another entry is an error.
    """

    def __init__(self, entries):
        self.entries: tuple[LexiconEntry, ...] = tuple(entries)
        self._by_label = {e.label: e for e in self.entries}
        self._by_exact: dict[str, LexiconEntry] = {}
        self._by_lower: dict[str, LexiconEntry] = {}
        self._by_key: dict[str, LexiconEntry] = {}
        for entry in self.entries:
            for form in entry.forms:
                for variant in form_variants(form):
                    self._by_exact.setdefault(variant, entry)
                    if not _case_sensitive(variant):
                        self._by_lower.setdefault(variant.lower(), entry)
                        self._by_key.setdefault(match_key(variant), entry)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def get(self, label: str) -> LexiconEntry | None:
        """The entry whose canonical label is ``label``."""
        return self._by_label.get(label)

    def lookup(self, form: str) -> LexiconEntry | None:
        """The entry a written form denotes, or ``None``.

        >>> lex = Lexicon([LexiconEntry("variational autoencoder", "Method", ("VAE",))])
        >>> lex.lookup("VAEs").label, lex.lookup("Variational Auto-Encoders").label, lex.lookup("vae")
        ('variational autoencoder', 'variational autoencoder', None)
        """
        form = " ".join(form.split())
        found = self._by_exact.get(form) or self._by_lower.get(form.lower())
        if found is None and not _case_sensitive(form):
            found = self._by_key.get(match_key(form))
        return found


def read_lexicon(path: str | Path) -> Lexicon:
    """Read a lexicon JSONL file; raise :class:`InputError` naming the line on bad entries."""
    entries = []
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                entry = LexiconEntry(obj["label"], obj["type"], tuple(obj.get("aliases") or ()), obj.get("parent"))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{lineno}: bad lexicon entry ({exc}); expected "
                                 '{"label": ..., "type": ..., "aliases": [...], "parent": ...}') from exc
            if entry.type not in ENTITY_TYPES:
                raise InputError(f"{path}:{lineno}: type {entry.type!r} is not one of {', '.join(ENTITY_TYPES)}")
            entries.append(entry)
    return Lexicon(entries)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon shipped with paperkg (cached)."""
    with resources.as_file(resources.files("paperkg") / "data" / "lexicon.jsonl") as path:
        return read_lexicon(path)


class LexiconMatcher:
    """Find lexicon names in a ``Doc`` with two spaCy ``PhraseMatcher``s (ORTH and LOWER).

    Returns the longest non-overlapping matches as ``(span, entry)`` pairs.
    """

    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lexicon = lexicon
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._entries: list[LexiconEntry] = []
        exact: dict[int, list[Doc]] = {}
        lower: dict[int, list[Doc]] = {}
        for idx, entry in enumerate(lexicon):
            self._entries.append(entry)
            for form in entry.forms:
                for variant in form_variants(form):
                    doc = merge_hyphenated(nlp.make_doc(variant))
                    target = exact if _case_sensitive(variant) else lower
                    target.setdefault(idx, []).append(doc)
        for idx, docs in exact.items():
            self._exact.add(str(idx), docs)
        for idx, docs in lower.items():
            self._lower.add(str(idx), docs)

    def __call__(self, doc: Doc) -> list[tuple[Span, LexiconEntry]]:
        vocab = doc.vocab
        found = []
        for matcher in (self._exact, self._lower):
            for match_id, start, end in matcher(doc):
                found.append((doc[start:end], self._entries[int(vocab.strings[match_id])]))
        found.sort(key=lambda m: (-(m[0].end - m[0].start), m[0].start))
        taken: set[int] = set()
        kept = []
        for span, entry in found:
            if taken.isdisjoint(range(span.start, span.end)):
                kept.append((span, entry))
                taken.update(range(span.start, span.end))
        return sorted(kept, key=lambda m: m[0].start)
