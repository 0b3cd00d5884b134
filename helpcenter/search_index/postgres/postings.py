"""A document as rows: the same analysis as the Whoosh backend, done in Python before the text
reaches PostgreSQL, so a page's words are identical whichever backend holds them.

Plain functions of plain data, so `search rebuild` can run them in several processes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from whoosh.util.numeric import byte_to_length, length_to_byte

from helpcenter.search_index.analysis import SpellingTokenizer, make_analyzer
from helpcenter.search_index.documents import IndexDocument
from helpcenter.search_index.schema import FIELD_WEIGHTS

FIELDS = tuple(FIELD_WEIGHTS)  # title, tags, summary, body: a field is its number here
FIELD_NUMBER = {name: number for number, name in enumerate(FIELDS)}
SPELLING_FIELD = len(FIELDS)  # the unstemmed Latin words "did you mean" draws from
SPANNED_FIELDS = frozenset({"summary", "body"})  # snippets are cut from these


@dataclass(frozen=True)
class Posting:
    field: int
    term: str
    frequency: int
    length: int  # the field's length as Whoosh stores it (a byte): scores equal Whoosh's
    spans: list[int] | None  # start, end, start, end... in the original text


@dataclass(frozen=True)
class AnalysedDocument:
    document: IndexDocument
    field_lengths: tuple[int, ...]  # exact words per field
    postings: tuple[Posting, ...]
    spelling: frozenset[str]


def field_texts(doc: IndexDocument) -> dict[str, str]:
    """What each searched field indexes (the Whoosh backend's `_fields`): a video passage does
    not index its video's title, so the title does not make every passage match."""
    return {
        "title": doc.title if doc.start is None else "",
        "tags": " ".join(doc.tags),
        "summary": doc.summary,
        "body": doc.body,
    }


def rounded_length(words: int) -> int:
    """Whoosh keeps a field's length as one byte; BM25F sees the length that byte stands for."""
    return byte_to_length(length_to_byte(words)) if words else 1


def spelling_words(doc: IndexDocument) -> frozenset[str]:
    text = f"{doc.title} {doc.summary} {doc.body}"
    return frozenset(token.text for token in SpellingTokenizer()(text))


def analyse(doc: IndexDocument, ja_method: str) -> AnalysedDocument:
    analyzer = make_analyzer(ja_method)
    lengths = []
    postings: list[Posting] = []
    for name, text in field_texts(doc).items():
        counts: Counter[str] = Counter()
        spans: dict[str, list[int]] = {}
        for token in analyzer(text, chars=True):
            counts[token.text] += 1
            if name in SPANNED_FIELDS:
                spans.setdefault(token.text, []).extend((token.startchar, token.endchar))
        words = sum(counts.values())
        lengths.append(words)
        length = rounded_length(words)
        number = FIELD_NUMBER[name]
        postings.extend(
            Posting(number, term, frequency, length, spans.get(term))
            for term, frequency in counts.items()
        )
    return AnalysedDocument(doc, tuple(lengths), tuple(postings), spelling_words(doc))


def analyse_batch(docs: list[IndexDocument], ja_method: str) -> list[AnalysedDocument]:
    return [analyse(doc, ja_method) for doc in docs]
