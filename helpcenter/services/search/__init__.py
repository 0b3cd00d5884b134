"""Finding answers: running and logging a visitor's search, keeping the index in step with the
database, hiding what was taken down, synonyms (and suggestions for them), and answer alerts for
people whose search failed."""
