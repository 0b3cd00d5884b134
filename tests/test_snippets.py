"""Snippets show where the query's words are, from offsets kept at indexing, never re-analysing."""

from helpcenter.extensions import search_index
from helpcenter.search_index import SearchRequest
from helpcenter.search_index.analysis import MixedScriptTokenizer
from helpcenter.search_index.snippets import SNIPPET_CHARS, make_snippet


def search(app, query, **kwargs):
    with app.app_context():
        return search_index.search(SearchRequest(query=query, **kwargs))


def test_snippet_is_cut_around_the_matches_far_into_the_text():
    text = (
        "Filler words about nothing in particular. " * 20 + "Reset the password here. " + "x " * 200
    )
    start = text.index("password")
    snippet = make_snippet(text, [(start, start + len("password"))])
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>password</mark>" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= SNIPPET_CHARS + 2


def test_snippet_prefers_the_stretch_with_most_matches():
    text = "password " + "a " * 300 + "password reset password " + "b " * 300
    spans = [(0, 8)]
    second = text.index("password reset")
    spans += [(second, second + 8), (second + 15, second + 23)]
    snippet = make_snippet(text, spans)
    assert snippet.count("<mark>") == 2


def test_snippet_escapes_text_and_marks_adjacent_japanese_words_once(loaded_app):
    page = search(loaded_app, "パスワード 再設定", lang="ja")
    snippet = page.hits[0].snippet
    assert "<mark>" in snippet
    assert "</mark><mark>" not in snippet
    assert make_snippet("<b>x</b> y", [(9, 10)]) == "&lt;b&gt;x&lt;/b&gt; <mark>y</mark>"


def test_showing_results_does_not_analyse_the_shown_pages_again(loaded_app, monkeypatch):
    search(loaded_app, "password")  # warm: the index is open, the query analyser loaded
    calls = []
    original = MixedScriptTokenizer.__call__

    def counting(self, value, *args, **kwargs):
        calls.append(len(value))
        return original(self, value, *args, **kwargs)

    monkeypatch.setattr(MixedScriptTokenizer, "__call__", counting)
    page = search(loaded_app, "invoice download", lang="en")
    assert page.hits and "<mark>" in page.hits[0].snippet
    assert max(calls) <= len("invoice download")  # only the query itself was analysed
