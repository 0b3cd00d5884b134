"""The Whoosh schema: one document per article, per video, and per transcript passage."""

from whoosh.fields import ID, STORED, TEXT, FieldType, Schema
from whoosh.formats import Existence

from helpcenter.search_index.analysis import SpellingTokenizer, make_analyzer

# BM25F weights: a query word in the title counts most, then tags, summary, body. Measured on
# the FAQ collections (bench/search_quality.py): gentle steps beat a heavy title weight, because
# people describe their problem in words the answer uses more than the title does.
FIELD_WEIGHTS = {"title": 1.3, "tags": 1.2, "summary": 1.1, "body": 1.0}


def build_schema(ja_method: str) -> Schema:
    analyzer = make_analyzer(ja_method)
    return Schema(
        key=ID(stored=True, unique=True),  # "article:12", "video:5", "video:5@3" (passage)
        parent=ID(stored=True, sortable=True),  # hits of one page are collapsed on this column
        kind=ID(stored=True),
        doc_id=STORED,
        slug=STORED,
        lang=ID(stored=True),
        category=ID(stored=True),
        url=STORED,
        start=STORED,  # seconds into the video, for passages
        solved=ID(stored=True),  # "yes" for threads with an accepted answer
        heading=STORED,  # what a hit shows as its title (passages do not index the title)
        title=TEXT(analyzer=analyzer),
        tags=TEXT(analyzer=analyzer, stored=True),
        # Character offsets are kept so snippets never analyse the text again (snippets.py).
        summary=TEXT(analyzer=analyzer, stored=True, chars=True),
        body=TEXT(analyzer=analyzer, stored=True, chars=True),
        # Only which words exist and on how many pages: no positions, no lengths to score by.
        spelling=FieldType(format=Existence(), analyzer=SpellingTokenizer(), scorable=False),
    )
