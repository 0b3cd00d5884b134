"""The gap key: one form for queries that ask the same thing, so failed searches group into gaps.

Two queries share a key when they have the same content words as the search analyzer sees them:
NFKC, case, width and kana folded, Japanese in dictionary form ("忘れた" = "忘れる"), English
stemmed, question boilerplate and word order ignored. "reset password", "Password resets" and
"How do I reset my password?" are one gap, and so are 「パスワードを忘れた」 and 「ﾊﾟｽﾜｰﾄﾞ 忘れる」.
"""

from __future__ import annotations

from helpcenter.search_index.analysis import MixedScriptTokenizer
from helpcenter.search_index.text import normalize_query

_ANALYZER = MixedScriptTokenizer("sudachi")
MAX_KEY = 500


def gap_key(query: str) -> str:
    words = {token.text for token in _ANALYZER(query[:MAX_KEY], mode="query")}
    return (" ".join(sorted(words)) or normalize_query(query))[:MAX_KEY]
