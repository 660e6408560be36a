"""The per-paper extraction JSON Lines of ``paperkg extract`` (public contract, DESIGN.md).

One object per paper: ``id``, ``title``, ``entities`` (id, label, type, aliases),
``mentions`` (entity, text, field, start, end — offsets into the field text as read; with
``--model`` also ``extent``, the ``[start, end]`` of a longer phrase the recognizer marked
around the name, and ``confidence``, the recognizer's probability for a mention only it found) and
``relations`` (subject, predicate, object, field, start, end). Fields are only ever added.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator

from ..io import write_atomic
from ..models import PaperExtraction
from ..resolve import Resolution

__all__ = ["to_extraction_records", "write_extractions"]


def to_extraction_records(extractions: Iterable[PaperExtraction], resolution: Resolution) -> Iterator[dict]:
    """The contract records, one per paper, in input order."""
    for ex in extractions:
        pid = ex.paper.id
        entities: dict[str, dict] = {}
        mentions = []
        for m in ex.mentions:
            eid = resolution.entity_of(pid, m.key)
            if eid is None:
                continue
            ent = resolution.entities[eid]
            entities.setdefault(eid, {"id": eid, "label": ent.label, "type": ent.type, "aliases": list(ent.aliases)})
            record = {"entity": eid, "text": m.text, "field": m.field, "start": m.start, "end": m.end}
            if m.extent != (m.start, m.end):
                record["extent"] = list(m.extent)
            if m.origin == "model":
                record["confidence"] = m.confidence
            mentions.append(record)
        relations = []
        for r in ex.relations:
            obj = resolution.entity_of(pid, r.object)
            subj = pid if r.predicate == "proposes" else resolution.entity_of(pid, r.subject)
            if obj is None or subj is None:
                continue
            relations.append({"subject": subj, "predicate": r.predicate, "object": obj,
                              "field": r.field, "start": r.start, "end": r.end})
        yield {"id": pid, "title": ex.paper.title, "entities": list(entities.values()),
               "mentions": mentions, "relations": relations}


def write_extractions(extractions: Iterable[PaperExtraction], resolution: Resolution, path: str | os.PathLike) -> int:
    """Write the records as JSON Lines (atomically; ``"-"`` writes to stdout). Returns the count."""
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in to_extraction_records(extractions, resolution)]
    if str(path) == "-":
        sys.stdout.writelines(lines)
    else:
        write_atomic(path, "".join(lines))
    return len(lines)
