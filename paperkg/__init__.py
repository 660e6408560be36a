"""paperkg: a knowledge graph of methods, datasets, tasks, metrics and concepts from research abstracts."""

from __future__ import annotations

__version__ = "0.1.0"
