"""Candidate spans for the span categorizer: n-grams that could be a term.

spaCy's ``spacy.ngram_range_suggester.v1`` proposes every span of 1–10 tokens, and the
span categorizer scores each of them; that scoring is most of the recognizer's cost.
A scientific term never begins or ends with a function word ("of", "the", "and", "is")
or with sentence punctuation, and never runs across a sentence break (".", ";", ":", "!",
"?"), so :func:`term_suggester` leaves those n-grams out. On SciERC's own tokens (train +
dev) it keeps 99.5 % of the annotated non-Generic entities while proposing 29 % of the
n-grams, and the recognizer runs 2.5x faster (``python bench/suggester.py``).

The suggester only reads token texts (no tagger or parser), so it behaves the same in
training, where documents come straight from SciERC tokens, and in extraction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy
from spacy.tokens import Doc
from thinc.api import Ops, Ragged, get_current_ops

__all__ = ["FUNCTION_WORDS", "term_suggester", "make_term_suggester"]

#: Words a term does not start or end with (lower case).
FUNCTION_WORDS = frozenset(
    """a an the of and or in on for to with by from at as is are was were be been being this that
    these those which who whom whose it its their our we they he she his her them us i you your than
    then into onto over under via per not no nor but if so such both either neither each every any
    all some most more less can could may might must shall should will would do does did has have
    had there here when where while whereas also only very""".split()
)

_EDGE_PUNCT_START = frozenset(",.;:)]}!?")
_EDGE_PUNCT_END = frozenset(",.;:([{!?")
_BREAKS = frozenset(".;:!?")


def term_suggester(docs: Iterable[Doc], *, min_size: int = 1, max_size: int = 10, ops: Ops | None = None) -> Ragged:
    """The n-grams of ``min_size``..``max_size`` tokens that do not start or end with a
    function word or sentence punctuation nor contain a sentence break, per doc, as
    spaCy's suggesters return them.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("training of deep nets")
    >>> spans = term_suggester([doc], max_size=4)
    >>> sorted(doc[s:e].text for s, e in spans.dataXd.tolist())
    ['deep', 'deep nets', 'nets', 'training', 'training of deep', 'training of deep nets']
    """
    ops = ops or get_current_ops()
    spans, lengths = [], []
    for doc in docs:
        n = len(doc)
        lower = [t.lower_ for t in doc]
        ok_start = numpy.array([w not in FUNCTION_WORDS and w not in _EDGE_PUNCT_START for w in lower], dtype=bool)
        ok_end = numpy.array([w not in FUNCTION_WORDS and w not in _EDGE_PUNCT_END for w in lower], dtype=bool)
        # breaks[i] = sentence breaks among the first i tokens: a span s:e holds none when equal
        breaks = numpy.concatenate([[0], numpy.cumsum([w in _BREAKS for w in lower])])
        starts = numpy.arange(n, dtype="i")
        doc_spans = []
        for size in range(min_size, max_size + 1):
            if size > n:
                break
            s = starts[: n - size + 1]
            keep = ok_start[: n - size + 1] & ok_end[size - 1 :] & (breaks[size:] == breaks[: n - size + 1])
            s = s[keep]
            doc_spans.append(numpy.stack([s, s + size], axis=1))
        found = numpy.concatenate(doc_spans) if doc_spans else numpy.zeros((0, 2), dtype="i")
        spans.append(ops.asarray(found.astype("i", copy=False)))
        lengths.append(len(found))
    lengths_array = ops.asarray1i(lengths)
    if spans:
        return Ragged(ops.xp.vstack(spans), lengths_array)
    return Ragged(ops.xp.zeros((0, 2), dtype="i"), lengths_array)


def make_term_suggester(min_size: int = 1, max_size: int = 10) -> Callable[..., Ragged]:
    """Registered as ``paperkg.term_suggester.v1`` for spaCy configs."""

    def suggest(docs: Iterable[Doc], *, ops: Ops | None = None) -> Ragged:
        return term_suggester(docs, min_size=min_size, max_size=max_size, ops=ops)

    return suggest


def register() -> None:
    """Make ``paperkg.term_suggester.v1`` known to spaCy (idempotent)."""
    from spacy.util import registry

    if "paperkg.term_suggester.v1" not in registry.misc.get_all():
        registry.misc.register("paperkg.term_suggester.v1", func=make_term_suggester)


register()
