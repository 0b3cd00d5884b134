"""Snippets for the hits shown, from where the index says the query's words are.

The body and summary fields keep each word's character offsets in the original text, recorded
when the page was indexed. A snippet reads those offsets for the query's words in the ten or so
hits shown and cuts the text around the densest stretch: the text is never analysed again at
query time (re-running the Japanese analyzer over every shown page was most of a search's cost).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape
from whoosh.reading import TermNotFound

SNIPPET_CHARS = 180
LEAD_CHARS = 50  # context kept before the first highlighted word
WORD_EDGE = 15  # how far to move a cut to land between Latin words instead of inside one

Spans = list[tuple[int, int]]


def match_spans(
    searcher, fieldname: str, words: Iterable[str], docnums: Sequence[int]
) -> dict[int, Spans]:
    """{docnum: sorted (start, end) character spans of `words` in that document's field}.

    One posting list per word, walked once in docnum order over the shown hits."""
    spans: dict[int, Spans] = {docnum: [] for docnum in docnums}
    if not searcher.schema[fieldname].supports("characters"):
        return spans  # an index built before offsets were kept: plain snippets until rebuilt
    ordered = sorted(set(docnums))
    for word in words:
        try:
            postings = searcher.postings(fieldname, word)
        except TermNotFound:
            continue
        for docnum in ordered:
            if not postings.is_active():
                break
            if postings.id() < docnum:
                postings.skip_to(docnum)
                if not postings.is_active():
                    break
            if postings.id() == docnum:
                spans[docnum].extend(
                    (start, end) for _pos, start, end in postings.value_as("characters")
                )
    return {docnum: merged_spans(found) for docnum, found in spans.items()}


def merged_spans(spans: Spans) -> Spans:
    """Sorted spans, touching or overlapping ones joined: 「住民票」 is one mark, not two."""
    out: Spans = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def make_snippet(text: str, spans: Spans) -> Markup | None:
    """Escaped text around the stretch of `text` where most matches fall, matches in <mark>;
    None when nothing matched."""
    if not spans:
        return None
    start, end = _window(text, spans)
    parts = ["…" if start > 0 else ""]
    cursor = start
    for match_start, match_end in spans:
        if match_start < cursor or match_end > end:
            continue  # outside the window
        parts.append(escape(text[cursor:match_start]))
        parts.append(Markup("<mark>%s</mark>") % text[match_start:match_end])
        cursor = match_end
    parts.append(escape(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return Markup("").join(parts)


def plain_snippet(text: str) -> Markup:
    """The start of `text`, escaped, for a hit whose matches are in a field not shown."""
    cut = text[:SNIPPET_CHARS]
    return escape(cut) + ("…" if len(text) > SNIPPET_CHARS else "")


def _window(text: str, spans: Spans) -> tuple[int, int]:
    """The SNIPPET_CHARS-long stretch holding the most matches, with some lead before them."""
    best_first, best_count = 0, 0
    last = 0
    for first, (first_start, _end) in enumerate(spans):
        last = max(last, first)
        while (
            last + 1 < len(spans) and spans[last + 1][1] - first_start <= SNIPPET_CHARS - LEAD_CHARS
        ):
            last += 1
        if last - first + 1 > best_count:
            best_first, best_count = first, last - first + 1
    start = max(0, spans[best_first][0] - LEAD_CHARS)
    start = _between_words(text, start, forward=True)
    end = min(len(text), start + SNIPPET_CHARS)
    end = _between_words(text, end, forward=False)
    return start, max(end, spans[best_first][1])


def _between_words(text: str, cut: int, *, forward: bool) -> int:
    """Move a cut inside a Latin word to the nearest space (a Japanese cut can fall anywhere)."""
    if cut <= 0 or cut >= len(text):
        return cut
    if not (text[cut - 1].isalnum() and text[cut].isalnum() and text[cut].isascii()):
        return cut
    if forward:
        space = text.find(" ", cut, cut + WORD_EDGE)
        return space + 1 if space != -1 else cut
    space = text.rfind(" ", cut - WORD_EDGE, cut)
    return space if space != -1 else cut
