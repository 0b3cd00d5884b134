"""Staff-managed synonyms expand searches at once, in both languages, and can be taken back."""

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import AuditEntry
from tests.builders import add_synonyms, csrf_token, make_user, sign_in


def staff_client(app):
    make_user(app, "staff@example.com", role="staff")
    client = app.test_client()
    sign_in(client, "staff@example.com")
    return client


def titles(client, query, **params):
    data = client.get("/api/v1/search", query_string={"q": query, **params}).get_json()
    return [r["title"] for r in data["results"]]


def test_a_japanese_synonym_finds_what_the_other_word_is_written_with(loaded_app):
    staff = staff_client(loaded_app)
    reader = loaded_app.test_client()
    assert titles(reader, "防犯", lang="ja") == []
    assert add_synonyms(staff, "ja", "セキュリティ, 防犯").status_code == 303
    assert titles(reader, "防犯", lang="ja") == ["2段階認証を設定する"]


def test_an_english_multi_word_synonym_expands_only_when_all_its_words_are_there(loaded_app):
    staff = staff_client(loaded_app)
    reader = loaded_app.test_client()
    assert titles(reader, "credentials", lang="en") == []
    add_synonyms(staff, "en", "password, credentials, log in details")
    assert titles(reader, "credentials", lang="en")[0] == "Reset a forgotten password"
    assert titles(reader, "log in details please", lang="en")[0] == "Reset a forgotten password"
    assert titles(reader, "details", lang="en") == []  # one word of a two-word term is not enough


def test_the_typed_word_still_ranks_above_its_synonym(loaded_app):
    staff = staff_client(loaded_app)
    add_synonyms(staff, "en", "invoice, password")
    reader = loaded_app.test_client()
    assert titles(reader, "invoice", lang="en")[:2] == [
        "Download invoices",
        "Reset a forgotten password",
    ]


def test_deleting_a_group_takes_the_expansion_back_and_everything_is_audited(loaded_app):
    staff = staff_client(loaded_app)
    add_synonyms(staff, "en", "password, credentials")
    reader = loaded_app.test_client()
    assert titles(reader, "credentials", lang="en")
    page = staff.get("/staff/synonyms").get_data(as_text=True)
    assert "password ↔ credentials" in page
    staff.post("/staff/synonyms/1/delete", data={"csrf_token": csrf_token(page)})
    assert titles(reader, "credentials", lang="en") == []
    with loaded_app.app_context():
        assert db.session.scalars(select(AuditEntry.action)).all() == [
            "synonyms.add",
            "synonyms.delete",
        ]


def test_a_group_needs_at_least_two_terms(loaded_app):
    staff = staff_client(loaded_app)
    response = add_synonyms(staff, "en", "lonely")
    assert response.status_code == 400 and "between 2 and 10 terms" in response.get_data(
        as_text=True
    )
    assert add_synonyms(staff, "fr", "a, b").status_code == 400
