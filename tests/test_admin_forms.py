"""Admin forms refuse over-long input with the limit shown and the text kept."""

from tests.builders import make_user, sign_in


def test_an_over_long_people_search_shows_its_limit_and_keeps_the_text(loaded_app):
    make_user(loaded_app, "admin@example.com", role="admin", name="Ada Admin")
    make_user(loaded_app, "kanri@example.com", role="admin", name="管理 太郎", lang="ja")
    admin = loaded_app.test_client()
    sign_in(admin, "admin@example.com")
    query = "x" * 101
    response = admin.get(f"/admin/users?q={query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "At most 100 characters, please (this has 101)." in html
    assert f'value="{query}"' in html and "Ada Admin" in html  # the list is still there
    found = admin.get("/admin/users?q=ada").get_data(as_text=True)
    assert "Ada Admin" in found and "管理 太郎" not in found

    japanese = loaded_app.test_client()
    sign_in(japanese, "kanri@example.com")
    html = japanese.get(f"/admin/users?q={query}").get_data(as_text=True)
    assert "100 文字以内で入力してください（現在 101 文字）。" in html
