"""Score extraction output against a hand-made gold annotation (``paperkg-gold/1``).

The gold file names, for each paper (matched by title), the entities an expert would
want as nodes::

    {"format": "paperkg-gold/1",
     "papers": [{"title": "...",
                 "entities": [{"name": "variational autoencoder", "type": "Method",
                               "aliases": ["VAE", "VAEs"], "core": true}]}]}

Predictions are per-paper records of the extraction JSON contract (``paperkg extract``:
``{"id", "title", "entities": [{"id", "label", "type", "aliases"}], "mentions": [{"entity",
"text", ...}], "relations": [...]}``).

The metric is name-based and deliberately simple:

* a *predicted* entity's names are its ``label`` plus the ``text`` of its mentions in that
  paper (not its ``aliases``, which may come from other papers); a *gold* entity's names
  are its ``name`` plus its ``aliases``;
* names are compared after :func:`normalize_name` (case, dash characters, whitespace and
  one final plural ``s``; hyphen and space stay different);
* a gold entity is *found* when some predicted entity shares a name with it; a predicted
  entity is *correct* when it shares a name with some gold entity. Types are ignored for
  matching and scored separately (``type_accuracy``);
* counts are summed over papers (micro average). A gold paper without a prediction record
  counts as all missed; prediction records without a gold paper are ignored and reported.

This module does not score spans or offsets (see :mod:`paperkg.scierc` for that) and
does not score relations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperkg.errors import InputError
from paperkg.models import ENTITY_TYPES

__all__ = [
    "GOLD_FORMAT",
    "normalize_name",
    "normalize_title",
    "validate_gold",
    "read_gold",
    "TypeScores",
    "PaperDetails",
    "GoldScores",
    "score_gold",
]

#: The value of the ``format`` key of a gold file.
GOLD_FORMAT = "paperkg-gold/1"

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—−"), "-")
_SPACES = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """The comparison form of an entity name.

    Case-folds, turns every dash character (``‐‑‒–—−``) into ``-``, collapses and strips
    whitespace, then drops one final plural ``s`` when the string is longer than three
    characters and does not end in ``ss``. Hyphens and spaces are *not* unified.

    Examples
    --------
    >>> normalize_name("  Variational   Autoencoders ")
    'variational autoencoder'
    >>> normalize_name("VAEs"), normalize_name("loss"), normalize_name("GAs")
    ('vae', 'loss', 'gas')
    >>> normalize_name("Jensen–Shannon") == normalize_name("jensen-shannon")
    True
    >>> normalize_name("auto-encoder") == normalize_name("auto encoder")
    False
    """
    text = _SPACES.sub(" ", text.casefold().translate(_DASHES)).strip()
    if len(text) > 3 and text.endswith("s") and not text.endswith("ss"):
        text = text[:-1]
    return text


def normalize_title(title: str) -> str:
    """The key that pairs a prediction record with a gold paper: case-folded, whitespace collapsed.

    >>> normalize_title("  Solving Inverse\\nProblems with FLAIR")
    'solving inverse problems with flair'
    """
    return _SPACES.sub(" ", title.casefold()).strip()


# --------------------------------------------------------------------------- gold reading


def _fail(source: str, where: str, problem: str) -> InputError:
    return InputError(f"{source}: {where}: {problem}")


def validate_gold(gold: Any, *, source: str = "<gold>") -> dict[str, Any]:
    """Check a parsed gold object and return it with defaults filled in.

    ``aliases`` defaults to ``[]`` and ``core`` to ``False``; everything else is required.
    Titles must be unique after :func:`normalize_title`.

    Parameters
    ----------
    gold : Any
        The parsed JSON.
    source : str
        What to call the input in error messages (a path).

    Returns
    -------
    dict
        A new ``{"format", "papers"}`` dict; the input is not modified.

    Raises
    ------
    InputError
        Naming ``source``, the location (``papers[3].entities[2].type``) and the problem.

    Examples
    --------
    >>> g = validate_gold({"format": "paperkg-gold/1", "papers": [
    ...     {"title": "T", "entities": [{"name": "VAE", "type": "Method"}]}]})
    >>> g["papers"][0]["entities"][0]
    {'name': 'VAE', 'type': 'Method', 'aliases': [], 'core': False}
    """
    if not isinstance(gold, Mapping):
        raise _fail(source, "top level", f"expected a JSON object, got {type(gold).__name__}")
    if gold.get("format") != GOLD_FORMAT:
        raise _fail(source, "format", f"expected {GOLD_FORMAT!r}, got {gold.get('format')!r}")
    papers = gold.get("papers")
    if not isinstance(papers, list):
        raise _fail(source, "papers", f"expected a list of papers, got {type(papers).__name__}")
    seen: dict[str, int] = {}
    out_papers = []
    for i, paper in enumerate(papers):
        where = f"papers[{i}]"
        if not isinstance(paper, Mapping):
            raise _fail(source, where, f"expected an object, got {type(paper).__name__}")
        title = paper.get("title")
        if not isinstance(title, str) or not title.strip():
            raise _fail(source, f"{where}.title", f"expected a non-empty string, got {title!r}")
        key = normalize_title(title)
        if key in seen:
            raise _fail(source, f"{where}.title", f"duplicate of papers[{seen[key]}].title {title!r}; merge the two")
        seen[key] = i
        entities = paper.get("entities")
        if not isinstance(entities, list):
            raise _fail(source, f"{where}.entities", f"expected a list, got {type(entities).__name__}")
        out_entities = [_validate_gold_entity(e, source, f"{where}.entities[{j}]") for j, e in enumerate(entities)]
        out_papers.append({"title": title, "entities": out_entities})
    return {"format": GOLD_FORMAT, "papers": out_papers}


def _validate_gold_entity(entity: Any, source: str, where: str) -> dict[str, Any]:
    if not isinstance(entity, Mapping):
        raise _fail(source, where, f"expected an object, got {type(entity).__name__}")
    name = entity.get("name")
    if not isinstance(name, str) or not normalize_name(name):
        raise _fail(source, f"{where}.name", f"expected a non-empty string, got {name!r}")
    etype = entity.get("type")
    if etype not in ENTITY_TYPES:
        raise _fail(source, f"{where}.type", f"expected one of {', '.join(ENTITY_TYPES)}, got {etype!r}")
    aliases = entity.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and normalize_name(a) for a in aliases):
        raise _fail(source, f"{where}.aliases", f"expected a list of non-empty strings, got {aliases!r}")
    core = entity.get("core", False)
    if not isinstance(core, bool):
        raise _fail(source, f"{where}.core", f"expected true or false, got {core!r}")
    return {"name": name, "type": etype, "aliases": list(aliases), "core": core}


def read_gold(path: str | Path) -> dict[str, Any]:
    """Read and validate a ``paperkg-gold/1`` JSON file.

    Parameters
    ----------
    path : str or Path
        The gold file (UTF-8 JSON).

    Returns
    -------
    dict
        The validated gold (see :func:`validate_gold`).

    Raises
    ------
    InputError
        If the file is missing, is not JSON, or does not follow the format; the message
        names the path and the offending location.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the gold file ({exc.strerror or exc}); check the path") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save the gold file as UTF-8") from exc
    try:
        gold = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno} column {exc.colno}: invalid JSON ({exc.msg})") from exc
    return validate_gold(gold, source=str(path))


# --------------------------------------------------------------------------- scores


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class TypeScores:
    """Scores of one entity type.

    Predictions are grouped by *predicted* type and gold by *gold* type; matching ignores
    types. ``typed_recall`` counts a gold entity only when a matching prediction has its type.
    """

    n_pred: int
    n_gold: int
    n_correct: int
    n_found: int
    n_found_typed: int

    @property
    def precision(self) -> float:
        """Correct predictions of this type / predictions of this type."""
        return _ratio(self.n_correct, self.n_pred)

    @property
    def recall(self) -> float:
        """Found gold entities of this type / gold entities of this type."""
        return _ratio(self.n_found, self.n_gold)

    @property
    def f1(self) -> float:
        """Harmonic mean of :attr:`precision` and :attr:`recall`."""
        return _f1(self.precision, self.recall)

    @property
    def typed_recall(self) -> float:
        """Gold entities of this type found by a prediction of the same type / gold of this type."""
        return _ratio(self.n_found_typed, self.n_gold)

    def to_dict(self) -> dict[str, float | int]:
        """Plain JSON-ready numbers."""
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "typed_recall": self.typed_recall,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "n_correct": self.n_correct,
            "n_found": self.n_found,
        }


@dataclass(frozen=True, slots=True)
class PaperDetails:
    """Error analysis of one gold paper.

    ``false_positives``: ``{"label", "type"}`` of unmatched predictions; ``missed``:
    ``{"name", "type", "core"}`` of unfound gold; ``type_mismatches``: ``{"gold",
    "gold_type", "predicted", "predicted_type"}``; ``splits``: ``{"gold", "predicted"}``
    (the labels of the ≥ 2 predictions that match one gold entity).
    """

    title: str
    has_prediction: bool
    n_pred: int
    n_gold: int
    n_correct: int
    n_found: int
    false_positives: tuple[dict[str, str], ...]
    missed: tuple[dict[str, Any], ...]
    type_mismatches: tuple[dict[str, str], ...]
    splits: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "title": self.title,
            "has_prediction": self.has_prediction,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "n_correct": self.n_correct,
            "n_found": self.n_found,
            "false_positives": [dict(x) for x in self.false_positives],
            "missed": [dict(x) for x in self.missed],
            "type_mismatches": [dict(x) for x in self.type_mismatches],
            "splits": [{"gold": x["gold"], "predicted": list(x["predicted"])} for x in self.splits],
        }


@dataclass(frozen=True)
class GoldScores:
    """Micro-averaged scores of predictions against a gold annotation.

    All ratios are 0.0 when their denominator is 0. ``n_pred`` counts only predicted
    entities of papers that have gold; ``n_unmatched_records`` counts prediction records
    whose title is not in the gold (they are ignored) and ``warnings`` says which.
    """

    precision: float
    recall: float
    f1: float
    core_recall: float
    type_accuracy: float
    split_rate: float
    n_pred: int
    n_gold: int
    n_correct: int
    n_found: int
    n_core: int
    n_core_found: int
    n_papers: int
    n_missing_papers: int
    n_unmatched_records: int
    per_type: dict[str, TypeScores]
    details: tuple[PaperDetails, ...]
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """A small fixed-width table of the scores.

        Examples
        --------
        >>> gold = {"format": "paperkg-gold/1", "papers": [{"title": "T", "entities": [
        ...     {"name": "VAE", "type": "Method", "core": True}]}]}
        >>> pred = [{"title": "T", "entities": [{"id": "vae", "label": "VAEs", "type": "Method"}]}]
        >>> print(score_gold(pred, gold).summary())  # doctest: +NORMALIZE_WHITESPACE
        papers 1 (0 without prediction; 0 prediction records without gold)
        type         P      R     F1  n_pred  n_gold
        all      1.000  1.000  1.000       1       1
        Method   1.000  1.000  1.000       1       1
        Dataset  0.000  0.000  0.000       0       0
        Task     0.000  0.000  0.000       0       0
        Metric   0.000  0.000  0.000       0       0
        Concept  0.000  0.000  0.000       0       0
        core recall 1.000   type accuracy 1.000   split rate 0.000
        """
        lines = [
            f"papers {self.n_papers} ({self.n_missing_papers} without prediction; "
            f"{self.n_unmatched_records} prediction records without gold)",
            f"{'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'n_pred':>7} {'n_gold':>7}",
            f"{'all':<8} {self.precision:6.3f} {self.recall:6.3f} {self.f1:6.3f} {self.n_pred:7d} {self.n_gold:7d}",
        ]
        for name, ts in self.per_type.items():
            row = f"{name[:8]:<8} {ts.precision:6.3f} {ts.recall:6.3f} {ts.f1:6.3f} {ts.n_pred:7d} {ts.n_gold:7d}"
            lines.append(row)
        lines.append(
            f"core recall {self.core_recall:.3f}   type accuracy {self.type_accuracy:.3f}   "
            f"split rate {self.split_rate:.3f}"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``per_type`` and ``details`` included)."""
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "core_recall": self.core_recall,
            "type_accuracy": self.type_accuracy,
            "split_rate": self.split_rate,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "n_correct": self.n_correct,
            "n_found": self.n_found,
            "n_core": self.n_core,
            "n_core_found": self.n_core_found,
            "n_papers": self.n_papers,
            "n_missing_papers": self.n_missing_papers,
            "n_unmatched_records": self.n_unmatched_records,
            "per_type": {name: ts.to_dict() for name, ts in self.per_type.items()},
            "details": [d.to_dict() for d in self.details],
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class _Pred:
    """One predicted entity of one paper: its label, type and normalised paper-local names."""

    label: str
    type: str
    names: frozenset[str]


def _pred_entities(record: Mapping[str, Any], where: str) -> tuple[list[_Pred], int]:
    """The predicted entities of one extraction record, and how many mentions name no entity of it."""
    entities = record.get("entities", [])
    mentions = record.get("mentions", [])
    if not isinstance(entities, list) or not isinstance(mentions, list):
        raise InputError(f"{where}: 'entities' and 'mentions' must be lists")
    texts: dict[str, set[str]] = {}
    for j, m in enumerate(mentions):
        if not isinstance(m, Mapping) or not isinstance(m.get("entity"), str) or not isinstance(m.get("text"), str):
            raise InputError(f"{where}.mentions[{j}]: expected an object with string 'entity' and 'text', got {m!r}")
        texts.setdefault(m["entity"], set()).add(normalize_name(m["text"]))
    preds = []
    for j, e in enumerate(entities):
        if not isinstance(e, Mapping) or not all(isinstance(e.get(k), str) for k in ("id", "label", "type")):
            raise InputError(
                f"{where}.entities[{j}]: expected an object with string 'id', 'label' and 'type', got {e!r}"
            )
        names = {normalize_name(e["label"])} | texts.get(e["id"], set())
        names.discard("")
        preds.append(_Pred(e["label"], e["type"], frozenset(names)))
    ids = {e["id"] for e in entities}
    return preds, sum(m["entity"] not in ids for m in mentions)


def _index_predictions(
    predictions: Iterable[Mapping[str, Any]], gold_keys: set[str]
) -> tuple[dict[str, tuple[int, Mapping[str, Any]]], list[str]]:
    """Prediction records by normalised title (with their position), and the titles not in the gold."""
    by_title: dict[str, tuple[int, Mapping[str, Any]]] = {}
    unmatched: list[str] = []
    for i, record in enumerate(predictions):
        where = f"prediction record {i}"
        if not isinstance(record, Mapping) or not isinstance(record.get("title"), str):
            raise InputError(f"{where}: expected an extraction object with a string 'title', got {record!r:.80}")
        key = normalize_title(record["title"])
        if key in by_title:
            raise InputError(
                f"{where}: title {record['title']!r} already seen in prediction record {by_title[key][0]}; "
                "give each paper one record"
            )
        by_title[key] = (i, record)
        if key not in gold_keys:
            unmatched.append(record["title"])
    return by_title, unmatched


def _score_paper(
    paper: Mapping[str, Any], preds: list[_Pred], has_prediction: bool, counts: dict[str, list[int]]
) -> tuple[PaperDetails, int, int, int]:
    """Match one paper; add to ``counts[type]`` (n_pred, n_gold, n_correct, n_found, n_found_typed).

    Returns the details and the numbers of found core gold, found gold with a same-type
    match, and split gold entities.
    """
    for p in preds:
        counts.setdefault(p.type, [0, 0, 0, 0, 0])[0] += 1
    matched = [False] * len(preds)
    missed, mismatches, splits = [], [], []
    n_found = core_found = typed = 0
    for g in paper["entities"]:
        gnames = {normalize_name(n) for n in [g["name"], *g["aliases"]]}
        counts[g["type"]][1] += 1
        hits = [k for k, p in enumerate(preds) if p.names & gnames]
        if not hits:
            missed.append({"name": g["name"], "type": g["type"], "core": g["core"]})
            continue
        n_found += 1
        core_found += g["core"]
        counts[g["type"]][3] += 1
        for k in hits:
            matched[k] = True
        if any(preds[k].type == g["type"] for k in hits):
            typed += 1
            counts[g["type"]][4] += 1
        else:  # the best match: most shared names, then the first
            best = preds[max(hits, key=lambda k: (len(preds[k].names & gnames), -k))]
            mismatches.append(
                {"gold": g["name"], "gold_type": g["type"], "predicted": best.label, "predicted_type": best.type}
            )
        if len(hits) >= 2:
            splits.append({"gold": g["name"], "predicted": tuple(preds[k].label for k in hits)})
    for p, ok in zip(preds, matched):
        counts[p.type][2] += ok
    details = PaperDetails(
        title=paper["title"],
        has_prediction=has_prediction,
        n_pred=len(preds),
        n_gold=len(paper["entities"]),
        n_correct=sum(matched),
        n_found=n_found,
        false_positives=tuple({"label": p.label, "type": p.type} for p, ok in zip(preds, matched) if not ok),
        missed=tuple(missed),
        type_mismatches=tuple(mismatches),
        splits=tuple(splits),
    )
    return details, core_found, typed, len(splits)


def score_gold(predictions: Iterable[Mapping[str, Any]], gold: Mapping[str, Any]) -> GoldScores:
    """Score extraction records against a gold annotation.

    Parameters
    ----------
    predictions : iterable of dict
        Extraction records (``{"title", "entities", "mentions", ...}``), one per paper.
    gold : dict
        A parsed ``paperkg-gold/1`` object (from :func:`read_gold`, or validated here).

    Returns
    -------
    GoldScores
        Micro-averaged precision, recall, F1, core recall, type accuracy and split rate,
        per-type scores and per-paper details.

    Raises
    ------
    InputError
        If the gold is malformed, a prediction record is malformed, or two prediction
        records share a title.

    See Also
    --------
    read_gold, normalize_name

    Examples
    --------
    >>> gold = {"format": "paperkg-gold/1", "papers": [{"title": "A paper", "entities": [
    ...     {"name": "variational autoencoder", "type": "Method", "aliases": ["VAE"], "core": True},
    ...     {"name": "MNIST", "type": "Dataset"}]}]}
    >>> pred = [{"title": "a  paper", "entities": [
    ...     {"id": "vae", "label": "VAE", "type": "Method"},
    ...     {"id": "results", "label": "results", "type": "Concept"}], "mentions": []}]
    >>> s = score_gold(pred, gold)
    >>> s.precision, s.recall, s.core_recall
    (0.5, 0.5, 1.0)
    >>> s.details[0].missed
    ({'name': 'MNIST', 'type': 'Dataset', 'core': False},)
    """
    gold = validate_gold(gold)
    by_title, unmatched = _index_predictions(predictions, {normalize_title(p["title"]) for p in gold["papers"]})
    counts: dict[str, list[int]] = {t: [0, 0, 0, 0, 0] for t in ENTITY_TYPES}
    details: list[PaperDetails] = []
    core_found = typed = split = missing = orphans = 0
    for paper in gold["papers"]:
        hit = by_title.get(normalize_title(paper["title"]))
        preds: list[_Pred] = []
        if hit is None:
            missing += 1
        else:
            preds, n_orphans = _pred_entities(hit[1], f"prediction record {hit[0]}")
            orphans += n_orphans
        paper_details, paper_core, paper_typed, paper_split = _score_paper(paper, preds, hit is not None, counts)
        details.append(paper_details)
        core_found, typed, split = core_found + paper_core, typed + paper_typed, split + paper_split

    warnings = []
    if unmatched:
        shown = ", ".join(repr(t) for t in unmatched[:5]) + (" …" if len(unmatched) > 5 else "")
        warnings.append(f"{len(unmatched)} prediction record(s) have no gold paper and were ignored: {shown}")
    if orphans:
        warnings.append(f"{orphans} mention(s) refer to an entity id missing from their record; ignored")
    n_pred, n_gold = sum(d.n_pred for d in details), sum(d.n_gold for d in details)
    n_correct, n_found = sum(d.n_correct for d in details), sum(d.n_found for d in details)
    n_core = sum(e["core"] for p in gold["papers"] for e in p["entities"])
    precision, recall = _ratio(n_correct, n_pred), _ratio(n_found, n_gold)
    return GoldScores(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        core_recall=_ratio(core_found, n_core),
        type_accuracy=_ratio(typed, n_found),
        split_rate=_ratio(split, n_found),
        n_pred=n_pred,
        n_gold=n_gold,
        n_correct=n_correct,
        n_found=n_found,
        n_core=n_core,
        n_core_found=core_found,
        n_papers=len(gold["papers"]),
        n_missing_papers=missing,
        n_unmatched_records=len(unmatched),
        per_type={t: TypeScores(*c) for t, c in counts.items()},
        details=tuple(details),
        warnings=tuple(warnings),
    )


#: paperkg type → SciERC label, for scoring extraction against SciERC.
PAPERKG_TO_SCIERC = {"Method": "Method", "Task": "Task", "Metric": "Metric", "Dataset": "Material",
                     "Concept": "OtherScientificTerm"}


def score_scierc(path, *, extractor=None) -> dict:
    """Score the normal extraction path on a SciERC (DyGIE) file.

    Each document's text (tokens joined by single spaces, PTB brackets restored) goes
    through :class:`paperkg.extract.Extractor` as an abstract; mention extents
    (:attr:`paperkg.models.Mention.extent`: the recognizer's phrase around a name, else the
    name's own offsets) are compared with all non-Generic gold entities (nested included) after mapping our types
    back to SciERC labels (Dataset → Material, Concept → OtherScientificTerm).

    Returns
    -------
    dict
        :func:`paperkg.scierc.score_spans` output: ``untyped``, ``typed``, ``head``,
        ``head_typed`` and ``per_label`` scores, plus ``documents``.
    """
    from .extract import Extractor
    from .models import Paper
    from .scierc import gold_char_spans, read_scierc, score_spans

    docs = list(read_scierc(path))
    extractor = extractor or Extractor()
    papers = [Paper(id=d.doc_key, title="", abstract=d.text) for d in docs]
    pred = [
        {(*m.extent, PAPERKG_TO_SCIERC[m.type]) for m in ex.mentions if m.field == "abstract"}
        for ex in extractor.extract(papers)
    ]
    scores = score_spans([gold_char_spans(d) for d in docs], pred)
    scores["documents"] = len(docs)
    return scores
