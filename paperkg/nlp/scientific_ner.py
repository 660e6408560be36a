"""Load the scientific-entity recognizer that ships inside paperkg (``paperkg/ner_model``).

The model is a spaCy pipeline of one self-contained ``ner`` component trained on SciERC
(Luan et al., EMNLP 2018; see ``paperkg/ner_model/README.md``). It emits SciERC's labels
``Task``, ``Method``, ``Metric``, ``Material``, ``OtherScientificTerm``; mapping them to
paperkg's entity types is not done here. Retrain it with :func:`paperkg.train.train_ner`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.language import Language

from ..errors import ModelError

__all__ = ["SCIENTIFIC_NER_LABELS", "scientific_ner_path", "load_scientific_ner"]

#: The labels the shipped recognizer predicts.
SCIENTIFIC_NER_LABELS: tuple[str, ...] = ("Material", "Method", "Metric", "OtherScientificTerm", "Task")


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


@lru_cache(maxsize=1)
def load_scientific_ner() -> Language:
    """Load the shipped SciERC recognizer (cached: the same object on every call).

    Returns
    -------
    spacy.language.Language
        Tokenizer, vocab and one ``ner`` component; ``doc.ents`` carry SciERC labels.
        The component can also be added to another pipeline with
        ``other.add_pipe("ner", name="scientific_ner", source=load_scientific_ner())``.

    Raises
    ------
    ModelError
        If the model directory is missing or spaCy cannot load it.

    Examples
    --------
    >>> nlp = load_scientific_ner()
    >>> nlp.pipe_names
    ['ner']
    >>> set(nlp.get_pipe("ner").labels) <= set(SCIENTIFIC_NER_LABELS)
    True
    """
    import spacy

    path = scientific_ner_path()
    try:
        return spacy.load(path)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load the scientific NER model from {path}: {exc}; retrain it with paperkg.train.train_ner") from exc
