"""Webhook deliveries to a real HTTP server on loopback: the signature a receiver checks, retries
with a doubling delay after a 500, redirects not followed, the Slack line, and the refusal of
private addresses in production."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from helpcenter import jobs
from helpcenter.extensions import db
from helpcenter.models import Job, User, WebhookDelivery, WebhookEndpoint
from helpcenter.models.base import utcnow
from helpcenter.services.webhooks import addresses, endpoints, events
from tests.builders import csrf_token, make_user


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What the README tells a receiver to do, written out independently of the app's code."""
    signed = headers["X-Helpcenter-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Helpcenter-Signature"])


def register(client, url: str, *events_: str, slack: bool = False):
    page = client.get("/admin/webhooks").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "url": url, "events": list(events_)}
    if slack:
        data["slack"] = "y"
    return client.post("/admin/webhooks", data=data)


def new_endpoint(app, url: str, *event_types: str, slack: bool = False) -> tuple[int, str]:
    with app.app_context():
        admin = db.session.scalars(select(User).where(User.role == "admin")).first()
        if admin is None:
            admin = db.session.get(User, make_user(app, "root@example.com", role="admin"))
        endpoint, secret = endpoints.create(
            admin, url=url, description="", event_types=list(event_types), slack=slack
        )
        return endpoint.id, secret


def test_a_registered_endpoint_gets_a_test_event_signed_with_the_secret_shown_once(admin, receiver):
    response = register(admin, receiver.url, "article.published")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(
        r"data-webhook-secret>.*?<code[^>]*>(whsec_\w+)</code>",
        response.get_data(as_text=True),
        re.S,
    ).group(1)
    assert secret not in admin.get("/admin/webhooks").get_data(as_text=True)

    endpoint_id = re.search(r"/admin/webhooks/(\d+)", response.get_data(as_text=True)).group(1)
    detail = admin.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    assert secret not in detail
    sent = admin.post(
        f"/admin/webhooks/{endpoint_id}/test", data={"csrf_token": csrf_token(detail)}
    )
    assert sent.status_code == 303

    (request,) = receiver.requests
    assert request["path"] == "/hook"
    assert verify(secret, request["headers"], request["body"])
    assert not verify("whsec_wrong", request["headers"], request["body"])
    tampered = request["body"].replace(b"webhook.test", b"webhook.TEST")
    assert not verify(secret, request["headers"], tampered)
    body = json.loads(request["body"])
    assert body["type"] == "webhook.test" == request["headers"]["X-Helpcenter-Event"]
    assert body["id"] == request["headers"]["X-Helpcenter-Delivery"]
    assert body["created_at"].endswith("Z") and "text" not in body
    page = admin.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    assert "Delivered" in page and "data-response-code>200<" in page


def test_the_test_button_needs_a_csrf_token(admin, receiver):
    endpoint_id, _secret = new_endpoint(admin.application, receiver.url, "article.published")
    assert admin.post(f"/admin/webhooks/{endpoint_id}/test").status_code == 400
    assert receiver.requests == []


def test_a_500_is_retried_with_a_doubling_delay_and_every_attempt_is_logged(
    loaded_app, admin, receiver
):
    app = loaded_app
    endpoint_id, secret = new_endpoint(app, receiver.url, "article.published")
    receiver.statuses = [500, 500, 200]
    delays = []
    with app.app_context():
        delivery = events.send_test(db.session.get(WebhookEndpoint, endpoint_id))
        db.session.commit()
        delivery_id, job_id = delivery.id, delivery.job_id
        for expected in ("retried", "retried", "done"):
            summary = jobs.run_due()
            assert getattr(summary, expected) == 1, summary
            job = db.session.get(Job, job_id, populate_existing=True)
            if expected == "retried":
                last = db.session.get(WebhookDelivery, delivery_id, populate_existing=True)
                delays.append((job.run_after - last.attempts[-1].created_at).total_seconds())
                job.run_after = utcnow()  # the wait is over
                db.session.commit()
        assert job.status == "done"
    base = app.config["JOBS_RETRY_SECONDS"]
    assert base <= delays[0] < base + 5
    assert 2 * base <= delays[1] < 2 * base + 5

    assert len(receiver.requests) == 3
    assert len({r["body"] for r in receiver.requests}) == 1  # the same event, signed each time
    assert all(verify(secret, r["headers"], r["body"]) for r in receiver.requests)
    page = admin.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    codes = re.findall(r"data-response-code>(\d+)<", page)
    assert codes == ["500", "500", "200"]
    assert "The receiver answered with an error" in page and "Delivered" in page


def test_redirects_are_not_followed(loaded_app, receiver):
    endpoint_id, _secret = new_endpoint(loaded_app, receiver.url, "article.published")
    receiver.statuses = [302]
    receiver.location = receiver.url.replace("/hook", "/elsewhere")
    with loaded_app.app_context():
        events.send_test(db.session.get(WebhookEndpoint, endpoint_id))
        db.session.commit()
        assert jobs.run_due().retried == 1
        attempt = db.session.scalars(select(WebhookDelivery)).one().attempts[0]
        assert (attempt.response_code, attempt.error_code) == (302, "redirect")
    assert [r["path"] for r in receiver.requests] == ["/hook"]


def test_a_slack_compatible_endpoint_gets_one_escaped_line_in_the_default_language(
    loaded_app, receiver
):
    endpoint_id, _secret = new_endpoint(loaded_app, receiver.url, "thread.solved", slack=True)
    thread = {"id": 7, "title": "Export <!channel> & more", "url": "https://help.example/t/7"}
    with loaded_app.app_context():
        events.emit(
            events.EventType.THREAD_SOLVED, thread, title=thread["title"], url=thread["url"]
        )
        loaded_app.config["BABEL_DEFAULT_LOCALE"] = "ja"
        events.emit(
            events.EventType.THREAD_SOLVED, thread, title=thread["title"], url=thread["url"]
        )
        db.session.commit()
        assert jobs.run_due().done == 2
    english, japanese = (json.loads(r["body"]) for r in receiver.requests)
    assert (
        english["text"] == "Solved: “Export &lt;!channel&gt; &amp; more” https://help.example/t/7"
    )
    assert english["data"]["title"] == "Export <!channel> & more"  # the data is not escaped
    assert japanese["text"].startswith("解決済み")
    assert "\n" not in japanese["text"]


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://localhost/hook",
        "http://127.0.0.1:8000/hook",
    ],
)
def test_production_refuses_private_and_loopback_addresses(app, url):
    app.config["WEBHOOKS_PUBLIC_ONLY"] = True
    with app.app_context(), pytest.raises(addresses.AddressRefused):
        addresses.check_for_registration(url)


def test_production_accepts_a_public_address(app):
    app.config["WEBHOOKS_PUBLIC_ONLY"] = True
    with app.app_context():
        assert addresses.check_for_registration("https://93.184.215.14/hook")


def test_development_allows_http_only_to_this_machine(app):
    with app.app_context():
        assert addresses.check_for_registration("http://localhost:8000/hook")
        with pytest.raises(addresses.AddressRefused):
            addresses.check_for_registration("http://example.com/hook")
        with pytest.raises(addresses.AddressRefused):
            addresses.check_for_registration("https://user:pw@example.com/hook")


def test_the_form_says_why_an_address_is_refused(admin):
    admin.application.config["WEBHOOKS_PUBLIC_ONLY"] = True
    response = register(admin, "https://169.254.169.254/latest", "article.published")
    assert response.status_code == 400
    assert "private, local or reserved address" in response.get_data(as_text=True)
    with admin.application.app_context():
        assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_the_address_is_checked_again_at_delivery(loaded_app, receiver):
    """Registered while allowed (or before DNS changed): production still refuses to send."""
    endpoint_id, _secret = new_endpoint(loaded_app, receiver.url, "article.published")
    loaded_app.config["WEBHOOKS_PUBLIC_ONLY"] = True
    with loaded_app.app_context():
        events.send_test(db.session.get(WebhookEndpoint, endpoint_id))
        db.session.commit()
        assert jobs.run_due().retried == 1
        attempt = db.session.scalars(select(WebhookDelivery)).one().attempts[0]
        assert attempt.error_code == "refused" and "127.0.0.1" in attempt.error
    assert receiver.requests == []


def test_a_disabled_endpoint_is_not_sent_what_was_queued(loaded_app, admin, receiver):
    endpoint_id, _secret = new_endpoint(loaded_app, receiver.url, "article.published")
    with loaded_app.app_context():
        endpoint = db.session.get(WebhookEndpoint, endpoint_id)
        events.emit(events.EventType.ARTICLE_PUBLISHED, {"id": 1}, title="T", url="u")
        endpoint.enabled = False
        db.session.commit()
        assert jobs.run_due().done == 1
    assert receiver.requests == []
    assert "the endpoint is disabled" in admin.get(f"/admin/webhooks/{endpoint_id}").get_data(
        as_text=True
    )


def test_retry_delays_are_measured_from_the_failed_attempt(loaded_app, receiver):
    """A guard on the test above: the job really waits (it is not run again in the same pass)."""
    endpoint_id, _secret = new_endpoint(loaded_app, receiver.url, "article.published")
    receiver.statuses = [500]
    with loaded_app.app_context():
        events.send_test(db.session.get(WebhookEndpoint, endpoint_id))
        db.session.commit()
        assert jobs.run_due().retried == 1
        assert jobs.run_due().ran == 0
        job = db.session.scalars(select(Job).where(Job.kind == "webhook")).one()
        assert job.run_after > utcnow() + timedelta(seconds=20)
    assert len(receiver.requests) == 1


def test_a_slack_line_missing_a_word_leaves_it_blank_rather_than_failing_the_change(app):
    with app.app_context():
        line = events.summary_text("goal.status_changed", {"title": "Search success"})
    assert line.startswith("Goal “Search success” is now")
