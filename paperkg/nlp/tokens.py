"""Token-level clean-up applied to every parsed ``Doc`` before extraction."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from .terms import UNMERGED_SUFFIXES

_GLUED_PERIOD = re.compile(r"[A-Z][^\s.]*[A-Za-z0-9]\.(?:\s|$)")

__all__ = ["HYPHENS", "merge_hyphenated"]

#: Characters that join the parts of a compound name ("MS-COCO", "auto-encoder").
HYPHENS = frozenset("-‐‑–/")


def merge_hyphenated(doc: Doc) -> Doc:
    """Merge tokens joined by a hyphen with no whitespace into one token, in place.

    spaCy's English tokenizer splits infix hyphens between letters ("VSC - RL",
    "auto - encoder", "text - to - image"), which breaks names apart. This merges every
    run ``word-word(-word…)`` written without spaces; the merged token keeps the
    syntactic attributes of the run's head, so noun chunks still work. Character
    offsets are unchanged. Runs ending in a suffix such as "-based" stay split, so the
    name in "VAE-based" is still seen.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> [t.text for t in merge_hyphenated(nlp("We use MS-COCO and a text-to-image model."))]
    ['We', 'use', 'MS-COCO', 'and', 'a', 'text-to-image', 'model', '.']
    """
    spans = []
    i, n = 0, len(doc)
    while i < n:
        j = i
        while (
            j + 2 < n
            and doc[j + 1].text in HYPHENS
            and not doc[j].whitespace_
            and not doc[j + 1].whitespace_
            and doc[j].is_alpha | doc[j].like_num | doc[j].text[-1:].isalnum()
            and doc[j + 2].text[:1].isalnum()
            and doc[j + 2].lower_ not in UNMERGED_SUFFIXES
        ):
            j += 2
        # glued alphanumeric pieces the tokenizer split ("ImageNet1" + "K")
        while j + 1 < n and not doc[j].whitespace_ and (doc[j].text[-1:].isalnum() or doc[j].text.endswith("-")) and len(doc[j].text) > 1 and doc[j + 1].text[:1].isalnum():
            j += 1
        if j > i:
            spans.append(doc[i : j + 1])
        i = j + 1
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span)
    _split_final_period(doc)
    return doc


def _split_final_period(doc: Doc) -> None:
    """Split a sentence-final period glued to a name ("XLS-R." → "XLS-R" ".")."""
    if not _GLUED_PERIOD.search(doc.text):
        return
    glued = [t for t in doc if len(t.text) > 2 and t.text.endswith(".") and t.text[-2].isalnum()
             and "." not in t.text[:-1] and any(c.isupper() for c in t.text)]
    if not glued:
        return
    with doc.retokenize() as retokenizer:
        for tok in glued:
            head = tok.head if tok.head.i != tok.i else (tok, 0)
            retokenizer.split(tok, [tok.text[:-1], "."], heads=[head, (tok, 0)],
                              attrs={"POS": [tok.pos_, "PUNCT"], "DEP": [tok.dep_, "punct"]})
