"""Read SciERC (DyGIE format) and score entity spans.

SciERC (Luan, He, Ostendorf and Hajishirzi, EMNLP 2018) annotates 500 AI abstracts
with six entity labels (``Task``, ``Method``, ``Metric``, ``Material``,
``OtherScientificTerm``, ``Generic``). Its DyGIE-format files hold one JSON document
per line: ``sentences`` (token lists), ``ner`` (per sentence ``[start, end, label]``
with document-global, *inclusive* token indices; spans can nest).

This module only converts and scores; it does not train (see :mod:`paperkg.train`)
and it never ships the data. The text of a document is its tokens joined by single
spaces, with the PTB bracket escapes (``-LRB-`` …) turned back into brackets, so
character offsets follow directly from the tokens.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperkg.errors import InputError

__all__ = [
    "SCIERC_LABELS",
    "PTB_ESCAPES",
    "SciercSpan",
    "SciercDoc",
    "Score",
    "unescape_token",
    "token_offsets",
    "parse_scierc_doc",
    "read_scierc",
    "select_ner_spans",
    "to_doc",
    "to_docbin",
    "gold_char_spans",
    "score_spans",
]

#: The entity labels of SciERC, ``Generic`` last ("this method", "it").
SCIERC_LABELS: tuple[str, ...] = ("Task", "Method", "Metric", "Material", "OtherScientificTerm", "Generic")

#: Penn Treebank bracket escapes used in the SciERC token lists.
PTB_ESCAPES: Mapping[str, str] = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
}


@dataclass(frozen=True, slots=True)
class SciercSpan:
    """One annotated entity: tokens ``start`` .. ``end - 1`` (end exclusive).

    ``start_char``/``end_char`` are offsets into :attr:`SciercDoc.text`.
    """

    start: int
    end: int
    label: str
    start_char: int
    end_char: int


@dataclass(frozen=True, slots=True)
class SciercDoc:
    """One SciERC abstract, tokens unescaped, with all (possibly nested) entities."""

    doc_key: str
    tokens: tuple[str, ...]
    text: str
    offsets: tuple[tuple[int, int], ...]
    sentence_starts: tuple[int, ...]
    entities: tuple[SciercSpan, ...]


@dataclass(frozen=True, slots=True)
class Score:
    """Micro precision, recall and F1 from counts.

    Examples
    --------
    >>> s = Score(tp=1, n_pred=2, n_gold=4)
    >>> (s.precision, s.recall, round(s.f1, 4))
    (0.5, 0.25, 0.3333)
    """

    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        """Plain dict with counts and ``p``/``r``/``f`` rounded to 4 places."""
        return {
            "p": round(self.precision, 4),
            "r": round(self.recall, 4),
            "f": round(self.f1, 4),
            "tp": self.tp,
            "pred": self.n_pred,
            "gold": self.n_gold,
        }


def unescape_token(token: str) -> str:
    """Turn a PTB bracket escape back into its bracket; other tokens are unchanged.

    Examples
    --------
    >>> [unescape_token(t) for t in ["-LRB-", "CNN", "-RRB-", "-LSB-1-RSB-"]]
    ['(', 'CNN', ')', '-LSB-1-RSB-']
    """
    return PTB_ESCAPES.get(token, token)


def token_offsets(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Character ``(start, end)`` of each token in ``" ".join(tokens)``.

    Examples
    --------
    >>> token_offsets(["deep", "nets", "."])
    [(0, 4), (5, 9), (10, 11)]
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for tok in tokens:
        out.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    return out


def parse_scierc_doc(record: Mapping[str, Any], *, source: str = "<record>") -> SciercDoc:
    """Convert one DyGIE-format JSON object into a :class:`SciercDoc`.

    Parameters
    ----------
    record
        A dict with ``doc_key``, ``sentences`` and ``ner`` (see the module docstring).
    source
        Where the record came from (``file:line``), used in error messages.

    Raises
    ------
    InputError
        If a key is missing, a token is empty or contains whitespace, or an entity
        index is outside the document.

    Examples
    --------
    >>> d = parse_scierc_doc({"doc_key": "x", "sentences": [["-LRB-", "CNN", "-RRB-"]],
    ...                       "ner": [[[1, 1, "Method"]]]})
    >>> d.text, d.entities[0].label, d.text[d.entities[0].start_char:d.entities[0].end_char]
    ('( CNN )', 'Method', 'CNN')
    """
    try:
        sentences = record["sentences"]
        ner = record.get("ner", [[] for _ in sentences])
        doc_key = str(record.get("doc_key", source))
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{source}: expected a DyGIE object with 'sentences' and 'ner', got {type(record).__name__}") from exc
    tokens: list[str] = []
    starts: list[int] = []
    for sent in sentences:
        starts.append(len(tokens))
        for tok in sent:
            if not isinstance(tok, str) or not tok or any(c.isspace() for c in tok):
                raise InputError(f"{source}: token {tok!r} (index {len(tokens)}) is empty or contains whitespace")
            tokens.append(unescape_token(tok))
    offsets = token_offsets(tokens)
    spans: set[SciercSpan] = set()
    for sent_spans in ner:
        for item in sent_spans:
            try:
                first, last, label = int(item[0]), int(item[1]), str(item[2])
            except (IndexError, TypeError, ValueError) as exc:
                raise InputError(f"{source}: bad entity {item!r}; expected [start, end, label]") from exc
            if not 0 <= first <= last < len(tokens):
                raise InputError(
                    f"{source}: entity {item!r} is outside the document's {len(tokens)} tokens "
                    "(indices are document-global and inclusive)"
                )
            spans.add(SciercSpan(first, last + 1, label, offsets[first][0], offsets[last][1]))
    return SciercDoc(
        doc_key=doc_key,
        tokens=tuple(tokens),
        text=" ".join(tokens),
        offsets=tuple(offsets),
        sentence_starts=tuple(starts),
        entities=tuple(sorted(spans, key=lambda s: (s.start, s.end, s.label))),
    )


def read_scierc(path: str | Path) -> Iterator[SciercDoc]:
    """Yield the documents of a DyGIE-format SciERC ``.json``/``.jsonl`` file, in order.

    Raises
    ------
    InputError
        If the file is missing or a line is not a JSON object in DyGIE format.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read SciERC file {path}: {exc.strerror}; pass the path of train.json or dev.json") from exc
    with handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            source = f"{path}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{source}: not JSON ({exc.msg}); expected one DyGIE document per line") from exc
            yield parse_scierc_doc(record, source=source)


def select_ner_spans(
    spans: Iterable[SciercSpan], *, drop_labels: Iterable[str] = ("Generic",)
) -> list[SciercSpan]:
    """Flatten nested entities for a NER tagger: drop ``drop_labels``, keep the longest non-overlapping.

    Longer spans win; ties go to the earlier span, then to the label's alphabetical order
    (so the result does not depend on input order).

    Examples
    --------
    >>> a = SciercSpan(0, 3, "Method", 0, 10)
    >>> b = SciercSpan(1, 2, "Task", 2, 5)
    >>> c = SciercSpan(3, 4, "Generic", 11, 13)
    >>> [s.label for s in select_ner_spans([b, a, c])]
    ['Method']
    """
    drop = set(drop_labels)
    kept: list[SciercSpan] = []
    taken: set[int] = set()
    for span in sorted(
        (s for s in spans if s.label not in drop), key=lambda s: (-(s.end - s.start), s.start, s.label)
    ):
        if taken.isdisjoint(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


def to_doc(
    sdoc: SciercDoc, vocab: Any, *, drop_labels: Iterable[str] = ("Generic",), spans_key: str | None = None
) -> Any:
    """Build a spaCy ``Doc`` with SciERC's tokens, sentence starts and flattened entities.

    ``vocab`` is a ``spacy.vocab.Vocab`` (e.g. ``nlp.vocab``). ``doc.ents`` holds the
    longest non-overlapping entities (:func:`select_ner_spans`); with ``spans_key``,
    ``doc.spans[spans_key]`` also holds all of them, nested included (for spancat).

    Examples
    --------
    >>> import spacy
    >>> d = parse_scierc_doc({"sentences": [["We", "use", "CNNs", "."]], "ner": [[[2, 2, "Method"]]]})
    >>> [(e.text, e.label_) for e in to_doc(d, spacy.blank("en").vocab).ents]
    [('CNNs', 'Method')]
    """
    from spacy.tokens import Doc, Span

    n = len(sdoc.tokens)
    starts = set(sdoc.sentence_starts)
    doc = Doc(
        vocab,
        words=list(sdoc.tokens),
        spaces=[i < n - 1 for i in range(n)],
        sent_starts=[i in starts for i in range(n)],
    )
    drop = tuple(drop_labels)
    doc.ents = [doc.char_span(s.start_char, s.end_char, label=s.label) for s in select_ner_spans(sdoc.entities, drop_labels=drop)]
    if spans_key is not None:
        doc.spans[spans_key] = [Span(doc, s.start, s.end, label=s.label) for s in sdoc.entities if s.label not in drop]
    return doc


def to_docbin(
    docs: Iterable[SciercDoc],
    *,
    drop_labels: Iterable[str] = ("Generic",),
    spans_key: str | None = None,
    vocab: Any = None,
) -> Any:
    """Convert documents to a ``spacy.tokens.DocBin`` for ``spacy train`` (see :func:`to_doc`)."""
    import spacy
    from spacy.tokens import DocBin

    vocab = vocab if vocab is not None else spacy.blank("en").vocab
    drop = tuple(drop_labels)
    bin_ = DocBin(attrs=["ORTH", "SENT_START", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    for sdoc in docs:
        bin_.add(to_doc(sdoc, vocab, drop_labels=drop, spans_key=spans_key))
    return bin_


def gold_char_spans(sdoc: SciercDoc, *, ignore_labels: Iterable[str] = ("Generic",)) -> set[tuple[int, int, str]]:
    """All annotated entities (nested included) as ``(start_char, end_char, label)``, minus ``ignore_labels``."""
    drop = set(ignore_labels)
    return {(s.start_char, s.end_char, s.label) for s in sdoc.entities if s.label not in drop}


def _head_matches(gold: set[tuple[int, int, str]], pred: set[tuple[int, int, str]], typed: bool) -> int:
    """One-to-one matches of spans that end at the same place (and, if ``typed``, share the label)."""
    def key(s: tuple[int, int, str]) -> tuple[int, str]:
        return (s[1], s[2] if typed else "")

    g, p = Counter(map(key, gold)), Counter(map(key, pred))
    return sum(min(n, p[k]) for k, n in g.items())


def score_spans(
    gold: Sequence[Iterable[tuple[int, int, str]]],
    pred: Sequence[Iterable[tuple[int, int, str]]],
    *,
    ignore_labels: Iterable[str] = ("Generic",),
) -> dict[str, Any]:
    """Micro P/R/F1 of predicted entity spans against gold, over a corpus.

    Parameters
    ----------
    gold, pred
        One collection of ``(start, end, label)`` spans per document (end exclusive;
        characters or tokens, the same unit on both sides). Duplicates count once.
    ignore_labels
        Labels removed from both sides before scoring (SciERC's ``Generic``).

    Returns
    -------
    dict
        ``untyped`` (exact boundaries), ``typed`` (exact boundaries and label),
        ``head`` (same last token, i.e. same ``end``; spans that share their end
        overlap), ``head_typed`` (same end and label) — each a :class:`Score` — and
        ``per_label``: ``{label: Score}`` for typed exact match.

    Examples
    --------
    >>> g = [{(0, 3, "Method"), (5, 9, "Task")}]
    >>> p = [{(0, 3, "Task"), (6, 9, "Task")}]
    >>> s = score_spans(g, p)
    >>> s["untyped"].f1, s["typed"].f1, s["head"].f1, s["head_typed"].f1
    (0.5, 0.0, 1.0, 0.5)
    """
    if len(gold) != len(pred):
        raise ValueError(
            f"score_spans: gold has {len(gold)} documents but pred has {len(pred)}; "
            "pass one span set per document on both sides"
        )
    drop = set(ignore_labels)
    counts = {k: [0, 0, 0] for k in ("untyped", "typed", "head", "head_typed")}  # tp, pred, gold
    per_tp, per_gold, per_pred = Counter[str](), Counter[str](), Counter[str]()
    for g_doc, p_doc in zip(gold, pred):
        g = {(s[0], s[1], s[2]) for s in g_doc if s[2] not in drop}
        p = {(s[0], s[1], s[2]) for s in p_doc if s[2] not in drop}
        # untyped metrics count distinct boundaries: one span annotated with two labels is one span
        gb = {(s[0], s[1], "") for s in g}
        pb = {(s[0], s[1], "") for s in p}
        for name, tp, n_p, n_g in (
            ("typed", len(g & p), len(p), len(g)),
            ("untyped", len(gb & pb), len(pb), len(gb)),
            ("head", _head_matches(gb, pb, typed=False), len(pb), len(gb)),
            ("head_typed", _head_matches(g, p, typed=True), len(p), len(g)),
        ):
            counts[name][0] += tp
            counts[name][1] += n_p
            counts[name][2] += n_g
        per_gold.update(s[2] for s in g)
        per_pred.update(s[2] for s in p)
        per_tp.update(s[2] for s in g & p)
    result: dict[str, Any] = {k: Score(*v) for k, v in counts.items()}
    result["per_label"] = {
        label: Score(per_tp[label], per_pred[label], per_gold[label]) for label in sorted(set(per_gold) | set(per_pred))
    }
    return result
