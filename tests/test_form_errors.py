"""A form sent back with errors says so to a screen reader: each field in error is marked
aria-invalid and described by its message, and the messages sit in an alert."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.builders import csrf_token, make_user, sign_in


class _Elements(HTMLParser):
    """Every element's attributes, and the text inside each element that has an id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append({"tag": tag, **attrs})
        if tag not in ("input", "br", "img", "meta", "link"):
            self._open.append((tag, attrs.get("id")))
            if attrs.get("id"):
                self.text_by_id.setdefault(attrs["id"], "")

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for _tag, element_id in self._open:
            if element_id:
                self.text_by_id[element_id] += data


def announced_errors(html: str) -> dict[str, str]:
    """Each field (or group) marked invalid or described by an alert, by name, id or tag, with the
    text it is described by; fails if a description points nowhere or not at an alert."""
    page = _Elements()
    page.feed(html)
    alerts = {e["id"] for e in page.elements if e.get("role") == "alert" and e.get("id")}
    found = {}
    for element in page.elements:
        refs = (element.get("aria-describedby") or "").split()
        error_refs = [ref for ref in refs if ref.endswith("-error")]
        if element.get("aria-invalid") == "true" or error_refs:
            key = element.get("name") or element.get("id") or element["tag"]
            assert error_refs, f"{key} is invalid but not described by its error"
            assert set(refs) <= set(page.text_by_id), f"{key} points at a missing id: {refs}"
            assert set(error_refs) <= alerts, f"{key}'s error is not in an alert"
            found[key] = " ".join(page.text_by_id[ref].strip() for ref in refs)
    return found


def test_signup_errors_are_tied_to_their_fields_and_the_good_field_is_left_alone(client):
    page = client.get("/signup").get_data(as_text=True)
    response = client.post(
        "/signup",
        data={
            "csrf_token": csrf_token(page),
            "email": "not-an-email",
            "display_name": "",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 400
    errors = announced_errors(response.get_data(as_text=True))
    assert set(errors) == {"email", "display_name"}
    assert "Invalid email address." in errors["email"]
    assert errors["display_name"].startswith("Shown next to what you post.")  # the hint, then
    assert "This field is required." in errors["display_name"]


def test_contact_form_errors_are_announced_in_japanese(client):
    client.get("/language/ja")
    page = client.get("/support/contact").get_data(as_text=True)
    response = client.post(
        "/support/contact",
        data={"csrf_token": csrf_token(page), "name": "", "email": "nope", "subject": "a"},
    )
    errors = announced_errors(response.get_data(as_text=True))
    assert set(errors) == {"name", "email", "subject", "message"}
    assert all(errors.values()) and not any("required" in text for text in errors.values())


def test_a_group_of_checkboxes_in_error_is_described_by_its_alert(loaded_app, client):
    make_user(loaded_app, "admin@example.com", role="admin")
    sign_in(client, "admin@example.com")
    page = client.get("/admin/webhooks").get_data(as_text=True)
    response = client.post(
        "/admin/webhooks",
        data={"csrf_token": csrf_token(page), "url": "https://hooks.example.com/x"},
    )
    errors = announced_errors(response.get_data(as_text=True))
    assert list(errors) == ["fieldset"] and errors["fieldset"]


def test_two_password_fields_on_one_page_keep_their_own_labels(loaded_app, client):
    make_user(loaded_app)
    sign_in(client, "member@example.com")
    page = _Elements()
    page.feed(client.get("/account/").get_data(as_text=True))
    ids = [e["id"] for e in page.elements if e.get("id")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    targets = [e["for"] for e in page.elements if e["tag"] == "label" and e.get("for")]
    assert "delete-password" in targets and set(targets) <= set(ids)
