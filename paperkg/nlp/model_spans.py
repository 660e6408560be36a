"""Spans proposed by the SciERC-trained recognizer, mapped to paperkg's types.

The recognizer (:mod:`paperkg.nlp.scientific_ner`) labels spans with SciERC's labels;
this module turns them into :class:`~paperkg.nlp.candidates.Candidate`\\ s that compete
with the rule-based ones in :func:`paperkg.extract.Extractor.extract_docs`.

Label mapping (documented in the README and the model card):

=====================  ==========================================================
SciERC label           paperkg type
=====================  ==========================================================
``Method``             ``Method``
``Task``               ``Task``
``Metric``             ``Metric``
``Material``           ``Dataset`` when it names a dataset (a coined name, a lexicon
                       dataset, or "… dataset/corpus/benchmark"); otherwise dropped
                       (materials such as "images" or "English text" are not nodes)
``OtherScientificTerm``  ``Concept`` when the phrase passes the term filter (specific
                       modifier, non-generic head, ≤ 4 words); otherwise dropped
``Generic``            dropped ("approach", "method", "it")
=====================  ==========================================================

Every span is cleaned like a rule candidate (determiners and evaluative words stripped)
and must pass the generic-phrase filter; a lexicon entry inside the span decides the type
when the span *is* that entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from .candidates import Candidate, is_name_token, is_term_phrase, strip_span, word_count
from .lexicon import Lexicon
from .normalize import clean_surface, singularize
from .terms import DATASET_CUE_NOUNS, GENERIC_HEADS, GENERIC_PHRASES

__all__ = ["SCIERC_TO_PAPERKG", "model_candidates"]

#: Direct label mapping; Material and OtherScientificTerm are decided per span.
SCIERC_TO_PAPERKG = {"Method": "Method", "Task": "Task", "Metric": "Metric"}


def model_candidates(
    doc: Doc, spans: Iterable[tuple[int, int, str]], lexicon: Lexicon, *, max_words: int = 4
) -> list[Candidate]:
    """Map recognizer spans ``(start_char, end_char, label)`` onto ``doc`` as candidates.

    ``doc`` is the merged, parsed field ``Doc``; spans were predicted on the same text.
    """
    out = []
    for start_char, end_char, label in spans:
        span = doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None:
            continue
        span = strip_span(span)
        if span is None or word_count(span) > max_words:
            continue
        text = clean_surface(span.text)
        if text.lower() in GENERIC_PHRASES or any(t.text in {",", ";", "(", ")"} for t in span):
            continue
        entry = lexicon.lookup(text)
        if entry is not None:
            out.append(Candidate(span.start, span.end, entry.type, entry.label, "model"))
            continue
        typ = _map_label(span, label)
        if typ is None:
            continue
        if len(span) == 1:
            head = singularize(span[0].lower_)
            if head in GENERIC_HEADS or (span[0].is_lower and typ in {"Concept"}):
                continue
        elif not is_term_phrase(span) and not any(is_name_token(t) for t in span):
            continue
        out.append(Candidate(span.start, span.end, typ, text, "model"))
    return out


def _map_label(span, label: str) -> str | None:
    if label in SCIERC_TO_PAPERKG:
        return SCIERC_TO_PAPERKG[label]
    if label == "Material":
        names = any(is_name_token(t) for t in span)
        cue = singularize(span[-1].lower_) in {singularize(w) for w in DATASET_CUE_NOUNS}
        return "Dataset" if names or cue else None
    if label == "OtherScientificTerm":
        return "Concept"
    return None
