"""Exporters: pure ``to_*`` conversions and atomic ``write_*`` file writers.

One module per format family: :mod:`paperkg.export.rdf` (Turtle, N-Triples, RDF/XML, JSON-LD).
Import the module you need; this package does not import them eagerly.
"""

__all__: list[str] = []
