"""The exceptions paperkg raises.

Every message says what was expected, what was received and what to do. Only the
CLI turns them into exit codes.
"""

from __future__ import annotations

__all__ = ["PaperkgError", "InputError", "ExtractionError", "ExportError", "QueryError", "ModelError"]


class PaperkgError(Exception):
    """Base class of all paperkg errors."""


class InputError(PaperkgError):
    """An input file cannot be read at all (missing, unknown format, corrupt)."""


class ExtractionError(PaperkgError):
    """The NLP pipeline cannot run (missing model, bad configuration)."""


class ModelError(ExtractionError):
    """A spaCy pipeline or trained component cannot be loaded."""


class ExportError(PaperkgError):
    """An output cannot be written."""


class QueryError(PaperkgError):
    """A SPARQL query is invalid or cannot run."""
