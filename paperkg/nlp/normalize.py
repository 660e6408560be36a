"""String normalisation shared by extraction, resolution and evaluation."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["match_key", "slugify", "singularize", "is_acronym", "clean_surface", "word_forms"]

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—−"), "-")
_NON_ALNUM = re.compile(r"[^0-9a-zα-ω]+")
_SLUG_BAD = re.compile(r"[^a-z0-9]+")
_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "λ": "lambda", "μ": "mu",
          "σ": "sigma", "τ": "tau", "θ": "theta", "π": "pi", "ρ": "rho", "χ": "chi", "ω": "omega"}


def is_acronym(text: str) -> bool:
    """Whether ``text`` is written like an acronym or a coined name ("VAE", "MoE", "fBM", "3DMatch").

    Title-case compounds are not ("Cross-Modal", "Monte-Carlo").

    >>> is_acronym("VAE"), is_acronym("MoE"), is_acronym("Transformer"), is_acronym("KITTI"), is_acronym("Cross-Modal")
    (True, True, False, True, False)
    """
    if " " in text:
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    for part in text.replace("/", "-").split("-"):
        inner = [c for c in part[1:] if c.isalpha()]
        if sum(c.isupper() for c in part if c.isalpha()) >= 2 or any(c.isupper() for c in inner):
            return True
        if part[:1].islower() and any(c.isupper() for c in part):
            return True
    return False


#: Plurals the suffix rules below get wrong.
_IRREGULAR_PLURALS = {
    "matrices": "matrix", "indices": "index", "vertices": "vertex", "simplices": "simplex", "axes": "axis",
    "analyses": "analysis", "hypotheses": "hypothesis", "syntheses": "synthesis", "theses": "thesis",
    "biases": "bias", "aliases": "alias", "lenses": "lens", "statuses": "status", "viruses": "virus",
    "criteria": "criterion", "phenomena": "phenomenon", "leaves": "leaf",
}
#: Words that end like plurals but are singular (or the same in both).
_NOT_PLURAL = frozenset("series species means news lens bias alias atlas canvas chaos bayes".split())


def singularize(word: str) -> str:
    """Singular of a plural English word or acronym, conservatively; in a phrase, of its
    last word.

    >>> [singularize(w) for w in ["autoencoders", "VAEs", "processes", "policies", "loss", "analysis", "CIFAR-10"]]
    ['autoencoder', 'VAE', 'process', 'policy', 'loss', 'analysis', 'CIFAR-10']
    >>> [singularize(w) for w in ["time series", "k-means", "bias", "matrices", "analyses", "Hypotheses"]]
    ['time series', 'k-means', 'bias', 'matrix', 'analysis', 'Hypothesis']
    """
    last = word.rsplit(None, 1)[-1].rsplit("-", 1)[-1] if word.strip() else ""
    last_lower = last.lower()
    if last_lower in _NOT_PLURAL:
        return word
    if last_lower in _IRREGULAR_PLURALS:
        singular = _IRREGULAR_PLURALS[last_lower]
        return word[: len(word) - len(last)] + (singular.capitalize() if last[:1].isupper() else singular)
    if len(word) > 2 and word.endswith("s") and word[-2].isupper():
        return word[:-1]
    lower = word.lower()
    if len(word) <= 3 or not word[-1:].isalpha() or lower.endswith(("ss", "us", "is", "ics", "ous")):
        return word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if lower.endswith("s"):
        return word[:-1]
    return word


def clean_surface(text: str) -> str:
    """Collapse whitespace and unify dashes of a surface form."""
    return " ".join(text.translate(_DASHES).split())


def match_key(text: str) -> str:
    """A comparison key: case, dashes, spaces and a final plural ignored.

    >>> match_key("Variational Auto-Encoders") == match_key("variational autoencoder")
    True
    >>> match_key("CIFAR-10") == match_key("cifar10"), match_key("VAEs") == match_key("VAE")
    (True, True)
    """
    text = clean_surface(text)
    words = text.split()
    if words:
        words[-1] = singularize(words[-1])
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", " ".join(words)).casefold())


def slugify(text: str) -> str:
    """A stable id fragment of ``[a-z0-9-]``.

    >>> slugify("β-VAE"), slugify("Variational autoencoder"), slugify("CIFAR-10")
    ('beta-vae', 'variational-autoencoder', 'cifar-10')
    """
    text = "".join(_GREEK.get(c, c) for c in text.lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_BAD.sub("-", text).strip("-") or "x"


def word_forms(*lemmas: str) -> frozenset[str]:
    """Regular inflections of lower-case English lemmas, for matching without a lemmatizer.

    >>> sorted(word_forms("propose"))
    ['propose', 'proposed', 'proposes', 'proposing']
    >>> {"evaluated", "studies"} <= word_forms("evaluate", "study")
    True
    """
    out = set()
    for w in lemmas:
        out.add(w)
        if w.endswith("e"):
            out |= {w + "s", w + "d", w[:-1] + "ing"}
        elif w.endswith("y") and w[-2:-1] not in set("aeiou"):
            out |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
        elif w.endswith(("s", "x", "ch", "sh")):
            out |= {w + "es", w + "ed", w + "ing"}
        else:
            out |= {w + "s", w + "ed", w + "ing"}
    return frozenset(out)
