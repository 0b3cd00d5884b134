"""Points, badges and the leaderboard come from votes and accepted answers; limits lift with them."""

from helpcenter.extensions import db
from helpcenter.models import User
from helpcenter.services.community import reputation
from tests.builders import answer, ask, csrf_token, member, post_action


def test_points_badges_and_profile(loaded_app):
    asker = member(loaded_app)
    helper = member(loaded_app, "helper@example.com", name="Helpful Hana")
    voter = member(loaded_app, "voter@example.com")
    thread_id = ask(asker)
    reply_id = answer(helper, thread_id)
    post_action(asker, thread_id, f"/community/p/{reply_id}/vote")
    post_action(voter, thread_id, f"/community/p/{reply_id}/vote")
    post_action(asker, thread_id, f"/community/t/{thread_id}/accept/{reply_id}")
    ja_thread = ask(
        asker, title="ボードをCSVで書き出す方法", body="ボード全体のタスクをCSVにしたいです。"
    )
    answer(helper, ja_thread, "ボードのメニューから書き出せます。")
    with loaded_app.app_context():
        standing = reputation.standing(db.session.get(User, 2))
    assert (standing.upvotes, standing.accepted, standing.answers) == (2, 1, 2)
    assert standing.points == 2 * 10 + 15
    assert set(standing.badges) == {"first_answer", "first_accepted", "bilingual"}
    html = asker.get("/community/u/2").get_data(as_text=True)
    assert (
        "Helpful Hana" in html
        and ">35<" in html
        and "Problem solver" in html
        and "Bilingual helper" in html
    )


def test_leaderboard_ranks_members_and_leaves_staff_out(loaded_app):
    asker = member(loaded_app)
    good = member(loaded_app, "good@example.com", name="Great Helper")
    okay = member(loaded_app, "okay@example.com", name="Okay Helper")
    staff = member(loaded_app, "staff@example.com", role="staff", name="Paid Staff")
    thread_id = ask(asker)
    best = answer(good, thread_id)
    answer(okay, thread_id, "Another way")
    staff_reply = answer(staff, thread_id, "Staff answer")
    post_action(asker, thread_id, f"/community/t/{thread_id}/accept/{best}")
    post_action(asker, thread_id, f"/community/p/{staff_reply}/vote")
    html = asker.get("/community/leaderboard?period=all").get_data(as_text=True)
    assert "Great Helper" in html and "Paid Staff" not in html
    assert "Okay Helper" not in html  # no points yet
    assert "Great Helper" in asker.get("/community/leaderboard").get_data(
        as_text=True
    )  # this month


def test_new_members_may_not_post_many_links(loaded_app):
    newbie = member(loaded_app)
    page = newbie.get("/community/new").get_data(as_text=True)
    body = "See https://a.example, https://b.example and https://c.example for details"
    response = newbie.post(
        "/community/new",
        data={
            "csrf_token": csrf_token(page),
            "title": "Three links here",
            "body": body,
            "kind": "question",
        },
    )
    assert response.status_code == 400 and "at most 2 links" in response.get_data(as_text=True)
