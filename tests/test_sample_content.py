"""The bundled sample help center imports cleanly and is big enough to be real."""

import re
from collections import Counter

from sqlalchemy import select

from helpcenter.config import PROJECT_ROOT
from helpcenter.extensions import db, search_index
from helpcenter.models import Article, Category
from helpcenter.search_index import SearchRequest
from helpcenter.services.content import imports
from helpcenter.services.search import indexing


def test_sample_content_imports_without_failures_and_is_searchable(app):
    with app.app_context():
        summary = imports.import_content(PROJECT_ROOT / "content")
        assert summary.failed == []
        indexing.rebuild_index()
        pages = db.session.scalars(select(Article)).all()
        articles = Counter(a.lang for a in pages if a.kind == "article")
        videos = [a for a in pages if a.kind == "video"]
        assert articles["en"] >= 24 and articles["ja"] >= 24
        assert len(db.session.scalars(select(Category)).all()) >= 5
        assert len(videos) >= 3 and all(v.cues for v in videos)
        assert any(a.translation_key for a in pages)
        hits = search_index.search(SearchRequest(query="パスワード", lang="ja")).hits
        assert hits[0].title == "パスワードを忘れた場合の再設定方法"


def test_sample_articles_link_only_to_pages_that_exist(app):
    with app.app_context():
        imports.import_content(PROJECT_ROOT / "content")
        pages = db.session.scalars(select(Article)).all()
        paths = {a.path for a in pages if a.is_published}
        for page in pages:
            for link in re.findall(r'href="(/(?:articles|videos)/[^"#?]+)', page.body_html):
                assert link in paths, f"{page.path} links to missing {link}"


def test_local_sample_video_file_exists():
    with_local = [
        p
        for p in (PROJECT_ROOT / "content/videos").glob("*.md")
        if "/static/videos/" in p.read_text()
    ]
    assert with_local
    for path in with_local:
        for line in path.read_text().splitlines():
            if line.startswith("video: /static/"):
                assert (PROJECT_ROOT / line.split(": ", 1)[1].lstrip("/")).is_file()
