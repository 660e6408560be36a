"""Load the scientific-entity recognizer that ships inside paperkg (``paperkg/ner_model``).

The model is a spaCy pipeline of one self-contained span categorizer (``spancat``,
factory ``spancat_singlelabel``, its tok2vec inside) trained on SciERC (Luan et al.,
EMNLP 2018; see ``paperkg/ner_model/README.md``). It writes non-overlapping spans to
``doc.spans["sc"]`` with SciERC's labels ``Task``, ``Method``, ``Metric``, ``Material``,
``OtherScientificTerm``. :func:`load_scientific_ner` appends a tiny component that also
copies them to ``doc.ents``. Mapping the labels to paperkg's entity types is not done
here. Retrain the model with :func:`paperkg.train.train_ner`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..errors import ModelError
from . import suggester  # noqa: F401  (registers paperkg.term_suggester.v1, which the model's config names)

__all__ = [
    "SCIENTIFIC_NER_LABELS",
    "SPANS_KEY",
    "spans_to_ents",
    "scientific_ner_path",
    "load_scientific_ner",
]

#: The labels the shipped recognizer predicts.
SCIENTIFIC_NER_LABELS: tuple[str, ...] = ("Material", "Method", "Metric", "OtherScientificTerm", "Task")

#: The ``doc.spans`` key the shipped span categorizer writes to.
SPANS_KEY = "sc"


def spans_to_ents(doc: Doc, spans_key: str = SPANS_KEY) -> Doc:
    """Replace ``doc.ents`` with the spans in ``doc.spans[spans_key]`` (longest first if they overlap).

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("we use deep nets")
    >>> doc.spans["sc"] = [doc.char_span(7, 16, label="Method")]
    >>> [(e.text, e.label_) for e in spans_to_ents(doc).ents]
    [('deep nets', 'Method')]
    """
    doc.ents = filter_spans(doc.spans.get(spans_key, []))
    return doc


@Language.component("paperkg_spans_to_ents")
def _spans_to_ents_component(doc: Doc) -> Doc:
    """Pipeline component: :func:`spans_to_ents` with the default key."""
    return spans_to_ents(doc)


def scientific_ner_path() -> Path:
    """The directory of the shipped model inside the installed package.

    Raises
    ------
    ModelError
        If the package data is missing or paperkg runs from a zip archive.
    """
    ref = resources.files("paperkg").joinpath("ner_model")
    path = Path(str(ref))
    if not isinstance(ref, Path) or not (path / "config.cfg").is_file():
        raise ModelError(
            f"the scientific NER model is missing: expected a spaCy pipeline in {path} "
            "(package data 'ner_model/'); reinstall paperkg from a full checkout or wheel, "
            "or retrain it with paperkg.train.train_ner(train.json, dev.json, that directory)"
        )
    return path


@lru_cache(maxsize=2)
def load_scientific_ner(*, set_ents: bool = True) -> Language:
    """Load the shipped SciERC recognizer (cached: the same object for the same arguments).

    Parameters
    ----------
    set_ents : bool
        Append ``paperkg_spans_to_ents`` so ``doc.ents`` holds the predicted spans too.

    Returns
    -------
    spacy.language.Language
        Tokenizer, vocab and the ``spancat`` component (plus ``paperkg_spans_to_ents``).
        The span categorizer can also be added to another pipeline with
        ``other.add_pipe("spancat", name="scientific_spancat", source=load_scientific_ner())``.

    Raises
    ------
    ModelError
        If the model directory is missing or spaCy cannot load it.

    Examples
    --------
    >>> nlp = load_scientific_ner()
    >>> nlp.pipe_names
    ['spancat', 'paperkg_spans_to_ents']
    >>> set(nlp.get_pipe("spancat").labels) == set(SCIENTIFIC_NER_LABELS)
    True
    """
    import spacy

    path = scientific_ner_path()
    try:
        nlp = spacy.load(path)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(
            f"cannot load the scientific NER model from {path}: {exc}; retrain it with paperkg.train.train_ner"
        ) from exc
    if set_ents:
        nlp.add_pipe("paperkg_spans_to_ents")
    return nlp
