"""Plain data exchanged between the stages of paperkg.

Every stage (ingest → nlp/extract → resolve → graph → export) passes these frozen
dataclasses, never spaCy objects, so extraction can run in other processes and each
stage can be tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "ENTITY_TYPES",
    "RELATION_PREDICATES",
    "ENTITY_RELATIONS",
    "FIELDS",
    "EntityType",
    "Paper",
    "Skip",
    "Mention",
    "Relation",
    "PaperExtraction",
    "Entity",
]

EntityType = Literal["Method", "Dataset", "Task", "Metric", "Concept"]

#: The five entity types, in display order.
ENTITY_TYPES: tuple[str, ...] = ("Method", "Dataset", "Task", "Metric", "Concept")

#: Relations between entities (subject and object are entities).
ENTITY_RELATIONS: tuple[str, ...] = ("evaluatedOn", "usedFor", "isA", "comparedWith", "uses")

#: Every relation predicate; ``proposes`` links a paper to an entity.
RELATION_PREDICATES: tuple[str, ...] = ("proposes",) + ENTITY_RELATIONS

#: The text fields of a paper that extraction reads.
FIELDS: tuple[str, ...] = ("title", "abstract")


@dataclass(frozen=True, slots=True)
class Paper:
    """One input record.

    ``id`` is the source id (arXiv id, DOI, record id) or a hash of the title;
    ``source`` says where the record was read (``file:line``) for error messages.
    """

    id: str
    title: str
    abstract: str
    year: int | None = None
    date: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    categories: tuple[str, ...] = ()
    source: str = ""

    def text(self, field_name: str) -> str:
        """Return the text of ``field_name`` (``"title"`` or ``"abstract"``)."""
        return self.title if field_name == "title" else self.abstract


@dataclass(frozen=True, slots=True)
class Skip:
    """An input record that did not make it into the graph, and why."""

    source: str
    reason: str
    record_id: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity name in a paper field.

    ``key`` is the paper-local candidate name that resolution groups on (for a lexicon
    match, the lexicon's canonical label); ``origin`` records which extractor found it.
    Offsets are Python string offsets into ``Paper.text(field)``.
    """

    text: str
    type: str
    field: str
    start: int
    end: int
    key: str
    origin: str = "np"
    confidence: float = 1.0
    extent_start: int | None = None
    extent_end: int | None = None

    @property
    def extent(self) -> tuple[int, int]:
        """Offsets of the whole phrase that mentions the entity: the recognizer's span
        around the name when it marked a longer one ("RANSAC techniques" for RANSAC),
        else the name's own offsets."""
        if self.extent_start is None or self.extent_end is None:
            return self.start, self.end
        return self.extent_start, self.extent_end


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed relation found in one paper, with the evidence span.

    ``subject`` and ``object`` are mention keys of the same paper (for ``proposes``
    the subject is the paper id). ``start``/``end`` delimit the evidence sentence.
    """

    subject: str
    predicate: str
    object: str
    field: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PaperExtraction:
    """Everything extraction found in one paper.

    ``abbreviations`` maps short form → long form as defined in this paper.
    """

    paper: Paper
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    abbreviations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """A corpus-wide canonical entity produced by resolution."""

    id: str
    label: str
    type: str
    aliases: tuple[str, ...] = field(default=())
