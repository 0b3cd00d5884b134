"""Contact support: stored, emailed to the support address, and tied to the search it came from."""

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import SearchEvent, SupportRequest
from tests.builders import csrf_token


def test_a_request_from_a_failed_search_is_stored_and_emailed(client, loaded_app, mailbox):
    client.get("/search?q=refund for annual plan")
    with loaded_app.app_context():
        search_id = db.session.scalars(select(SearchEvent.id)).one()
    results = client.get("/search?q=refund for annual plan").get_data(as_text=True)
    assert "/support/contact?q=refund+for+annual+plan&amp;sid=" in results
    page = client.get(f"/support/contact?q=refund+for+annual+plan&sid={search_id}").get_data(
        as_text=True
    )
    assert 'value="refund for annual plan"' in page
    response = client.post(
        "/support/contact",
        data={
            "csrf_token": csrf_token(page),
            "name": "Ken",
            "email": "Ken@Example.com",
            "subject": "refund for annual plan",
            "message": "I paid twice for the annual plan.",
            "search_id": str(search_id),
        },
    )
    assert response.status_code == 200 and "got your request" in response.get_data(as_text=True)
    [message] = mailbox.wait_for("support@tsumiki.example")
    assert message["Reply-To"] == "ken@example.com"
    assert "refund for annual plan" in message.get_body(("plain",)).get_content()
    with loaded_app.app_context():
        request = db.session.scalars(select(SupportRequest)).one()
        assert (request.search_id, request.email) == (search_id, "ken@example.com")


def test_bad_contact_input_gets_messages_not_a_500(client, loaded_app):
    page = client.get("/support/contact").get_data(as_text=True)
    response = client.post(
        "/support/contact",
        data={
            "csrf_token": csrf_token(page),
            "name": "",
            "email": "nope",
            "subject": "x",
            "message": "short",
        },
    )
    assert response.status_code == 400
    with loaded_app.app_context():
        assert db.session.scalars(select(SupportRequest)).first() is None
