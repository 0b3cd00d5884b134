"""The sample site a newcomer meets after `init --sample` reads like a real community."""

from collections import Counter

from markupsafe import escape
from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import HelpfulVote, Post, PostVote, User
from helpcenter.models.base import utcnow
from helpcenter.services.community import reputation
from tests.builders import fresh_schema


def test_the_sample_community_has_history_a_monthly_leaderboard_and_varied_feedback(app, runner):
    fresh_schema(app)
    result = runner.invoke(args=["init", "--sample"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        month_start = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        this_month = reputation.leaderboard(month_start)
        assert len(this_month) >= 3, [(u.display_name, p) for u, p, *_ in this_month]

        posts = select(Post.author_id, func.min(Post.created_at)).group_by(Post.author_id)
        votes = select(PostVote.user_id, func.min(PostVote.created_at)).group_by(PostVote.user_id)
        first_activity = {}
        for user_id, at in [*db.session.execute(posts), *db.session.execute(votes)]:
            first_activity[user_id] = min(at, first_activity.get(user_id, at))
        joined = dict(db.session.execute(select(User.id, User.created_at)).all())
        late = [uid for uid, at in first_activity.items() if joined[uid] > at]
        assert late == [] and len(first_activity) >= 8
        assert len({joined[uid].date() for uid in first_activity}) >= 5  # not all on one day

        said_no = select(HelpfulVote.comment).where(
            HelpfulVote.helpful.is_(False), HelpfulVote.comment.is_not(None)
        )
        comments = db.session.scalars(said_no).all()
    assert len(comments) >= 7
    repeats = sum(n - 1 for n in Counter(comments).values())
    assert repeats <= len(comments) // 4, Counter(comments).most_common(3)

    client = app.test_client()
    page = client.get("/community/leaderboard").get_data(as_text=True)
    names = [str(escape(user.display_name)) for user, *_ in this_month[:3]]
    assert all(name in page for name in names), names
