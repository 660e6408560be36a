"""spaCy-facing parts of paperkg: the pipeline loader and the rule-based extractors."""
