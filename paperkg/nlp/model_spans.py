"""Spans proposed by the SciERC-trained recognizer, combined with the rule-based mentions.

The recognizer (:mod:`paperkg.nlp.scientific_ner`) labels spans with SciERC's labels.
:func:`combine_model_spans` merges them into the mentions the rules chose
(:meth:`paperkg.extract.Extractor.extract_docs`). The division of labour:

* **the rules decide names, nodes and types** where they find something: the lexicon,
  abbreviation pairs, variants and coined names are precise, and the recognizer never
  overrides or splits them;
* **the recognizer decides the extent** of the phrase that mentions a name. SciERC-style
  spans are often longer than the name ("RANSAC techniques", "Expectation-Maximization
  (EM) algorithm", "bigram back-off language models"). When a span contains rule mentions
  and the best of them (priority, then length) is its head, or only generic words follow
  it ("techniques", "algorithm", "system"), the mention keeps its name (the node stays
  RANSAC) and records the span as its *extent* (:attr:`paperkg.models.Mention.extent`,
  ``extent`` in ``paperkg extract`` output; what ``paperkg eval scierc`` scores). A span
  in which the name is only a modifier ("mutual information maximization"), or that
  crosses a rule mention's boundary, is dropped;
* **the recognizer adds what the rules miss**: a span with no rule mention inside becomes
  a mention (origin ``"model"``, its probability as ``confidence``) of a new entity typed
  by its label, unless it is generic (below).

Label mapping (also in the README and the model card):

=======================  ==========================================================
SciERC label             paperkg type
=======================  ==========================================================
``Method``               ``Method``
``Task``                 ``Task``
``Metric``               ``Metric``
``Material``             ``Dataset`` when it names a dataset or a body of data: a
                         coined name ("WSJ", "CIFAR-10"), a head such as "dataset",
                         "corpus", "benchmark", or a phrase of two or more words
                         headed by a data noun ("news articles", "image data");
                         else ``Concept`` ("Polish", "context free languages")
``OtherScientificTerm``  ``Concept``
``Generic``              never predicted (the model is trained without it)
=======================  ==========================================================

A phrase that is the name of a lexicon entry takes the entry's type. Where the rules
found a phrase by grammar alone (a noun phrase, or a phrase the paper repeats; origins
``np`` and ``salient``, typed by their head word) and the recognizer marks that phrase,
or a longer one that ends with it, the mention takes the recognizer's mapped label: it
was trained on the context, the head-word guess was not. (A span that only wraps the name,
"dialogue management systems", says what the wrapper is, so it keeps the rules' type.) A
coined name the rules could not type takes the type its wrapper word gives it: "the RM
task" (Task), "the ATIS corpus" (Dataset), "the KDS system" (Method). Otherwise lexicon
entries, abbreviations, variants and coined names keep their types. Dropped as generic,
whatever the label: spans starting with a pronoun or a number, phrases in
:data:`~paperkg.nlp.terms.GENERIC_PHRASES` ("the proposed method"), a single generic head
word ("approach", "features"), a single lower-case word labelled Concept ("shape",
"lighting"), and spans of more than :data:`MAX_NEW_WORDS` words that name nothing the
rules know ("histogram-based interest point detectors" stays out of the graph).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .candidates import Candidate, is_name_token, word_count, written_key
from .lexicon import Lexicon
from .normalize import clean_surface, singularize
from .terms import DATA_HEAD_NOUNS, DATASET_CUE_NOUNS, GENERIC_HEADS, GENERIC_PHRASES

__all__ = ["SCIERC_TO_PAPERKG", "MAX_NEW_WORDS", "ModelSpan", "model_spans_on", "combine_model_spans", "map_label"]

#: Direct label mapping; Material is decided per span.
SCIERC_TO_PAPERKG = {"Method": "Method", "Task": "Task", "Metric": "Metric", "OtherScientificTerm": "Concept"}

#: The longest span (in words) that becomes a *new* entity when it contains no known name.
MAX_NEW_WORDS = 4

#: Head words that wrap a name without changing what it names ("the CCR formalism").
WRAPPER_HEADS = frozenset(
    "algorithm formalism measure metric score tool toolkit software package library implementation "
    "criterion principle theory rule loss estimator estimate".split()
)

_WRAPPING_WORDS = GENERIC_HEADS | WRAPPER_HEADS
#: What a wrapper word says about the coined name before it, for names the rules could not
#: type: "the RM task", "the ATIS corpus", "the SII measure", "the CCLINC system".
_CUE_HEADS = frozenset(singularize(w) for w in DATASET_CUE_NOUNS)
_NAME_WRAPPER_TYPES = {
    **dict.fromkeys("task problem challenge".split(), "Task"),
    **dict.fromkeys(_CUE_HEADS, "Dataset"),
    **dict.fromkeys("measure metric score".split(), "Metric"),
    **dict.fromkeys("system method algorithm model framework approach technique architecture tool toolkit".split(),
                    "Method"),
}
_LEADING = frozenset("a an the this these that those our their its his her such".split())
_DATA_HEADS = frozenset(singularize(w) for w in DATA_HEAD_NOUNS)
_DATASET_WRAPPING_WORDS = _WRAPPING_WORDS | _DATA_HEADS
#: Origins whose type is a guess from the head word; the recognizer's label replaces it.
_GUESSED_TYPE_ORIGINS = frozenset({"np", "salient"})


@dataclass(frozen=True, slots=True)
class ModelSpan:
    """One recognizer span on the merged ``Doc``: tokens ``start:end``."""

    start: int
    end: int
    label: str
    confidence: float


def model_spans_on(doc: Doc, spans: Iterable[tuple[int, int, str, float]]) -> list[ModelSpan]:
    """Map recognizer spans ``(start_char, end_char, label, score)`` onto ``doc`` (after
    :func:`~paperkg.nlp.tokens.merge_hyphenated`), dropping a leading determiner or
    possessive and unbalanced edge punctuation."""
    out = []
    for start_char, end_char, label, score in spans:
        span = doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None:
            continue
        start, end = span.start, span.end
        while start < end and (doc[start].lower_ in _LEADING or doc[start].is_punct and doc[start].text != "("):
            start += 1
        while end > start and doc[end - 1].is_punct and not (doc[end - 1].text == ")" and "(" in doc[start:end].text):
            end -= 1
        if end > start:
            out.append(ModelSpan(start, end, label, score))
    return out


def map_label(span: Span, label: str) -> str | None:
    """The paperkg type of a recognizer span (the table in the module docstring)."""
    if label == "Material":
        head = singularize(span[-1].lower_)
        if any(is_name_token(t) for t in span) or head in _CUE_HEADS or (len(span) > 1 and head in _DATA_HEADS):
            return "Dataset"
        return "Concept"
    return SCIERC_TO_PAPERKG.get(label)


def _generic(span: Span, typ: str) -> bool:
    first = span[0]
    if clean_surface(span.text).lower() in GENERIC_PHRASES or first.pos_ == "PRON" or (first.like_num and not is_name_token(first)):
        return True
    if len(span) == 1:
        tok = span[0]
        return (singularize(tok.lower_) in GENERIC_HEADS or tok.is_punct
                or (typ == "Concept" and tok.is_lower and not is_name_token(tok)))
    return word_count(span) > MAX_NEW_WORDS


def _wraps(doc: Doc, ms: ModelSpan, anchor: Candidate, same: set[Candidate]) -> bool:
    """Whether the words of the recognizer's span after the anchor name add nothing to
    what it names: generic heads ("RANSAC techniques", "the EM algorithm", "question
    answering systems", "decision tree based approach"), its own abbreviation
    ("Expectation-Maximization (EM)"), or, after a dataset, a data noun ("Switchboard
    dialogues")."""
    covered = {i for c in same for i in range(c.start, c.end)}
    wrapping = _DATASET_WRAPPING_WORDS if anchor.type == "Dataset" else _WRAPPING_WORDS
    rest = doc[anchor.end : ms.end]
    if len(rest) > 1 and rest[0].lower_ == "based":
        rest = rest[1:]  # "decision tree based approach"
    return all(tok.i in covered or tok.is_punct or singularize(tok.lower_) in wrapping for tok in rest)


def combine_model_spans(doc: Doc, chosen: list[Candidate], spans: list[ModelSpan], lexicon: Lexicon, text: str,
                        *, min_confidence: float = 0.0) -> list[Candidate]:
    """The rule mentions ``chosen`` (non-overlapping, with their final keys) combined with
    recognizer ``spans``; ``text`` is the field as written (``doc`` may be re-cased).
    A span that would become a new, unknown-name mention needs at least ``min_confidence``.

    Returns non-overlapping candidates sorted by start: the rule mentions, some with an
    ``extent``, and the recognizer's new ones.
    """
    out = list(chosen)
    for ms in spans:
        inside = [c for c in out if ms.start <= c.start and c.end <= ms.end]
        clash = [c for c in out if c.start < ms.end and ms.start < c.end and c not in inside]
        if clash:
            continue  # crosses a rule mention, or lies inside one: the rules' boundaries win
        span = doc[ms.start : ms.end]
        if inside:
            anchor = max(inside, key=lambda c: (c.priority, c.end - c.start, c.start))
            same = {c for c in inside if c.key == anchor.key}
            exact = anchor.start == ms.start and anchor.end == ms.end
            if exact or anchor.end == ms.end or _wraps(doc, ms, anchor, same):
                # the label types the name only where the name is the span's head: in "question
                # answering systems" the wrapper, not the name, makes it a Method
                if anchor.type is None and not exact:  # an untyped coined name: "the RM task"
                    typ = _NAME_WRAPPER_TYPES.get(singularize(span[-1].lower_))
                elif anchor.end == ms.end and anchor.origin in _GUESSED_TYPE_ORIGINS:
                    typ = map_label(span, ms.label)
                else:
                    typ = None
                extent = None if exact else (ms.start, ms.end)
                out = [dataclasses.replace(c, extent=extent or c.extent, type=typ or c.type) if c in same else c
                       for c in out]
            # else the name is a modifier ("mutual information maximization"): keep the rules' mention
            continue
        entry = lexicon.lookup(clean_surface(span.text))
        if entry is not None:
            out.append(Candidate(ms.start, ms.end, entry.type, entry.label, "lexicon", ms.confidence))
            continue
        typ = map_label(span, ms.label)
        if typ is None or ms.confidence < min_confidence or _generic(span, typ):
            continue
        out.append(Candidate(ms.start, ms.end, typ, written_key(span, text), "model", ms.confidence))
    return sorted(out, key=lambda c: (c.start, -c.end))
