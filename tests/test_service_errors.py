"""Every refusal a service raises reaches people in their language: each raise of a service
error passes a message through the translation catalogue, and a Japanese reader sees Japanese."""

import ast
import inspect
import re

import pytest
from flask_babel import force_locale

import helpcenter.services as services_package
from helpcenter.config import PROJECT_ROOT
from helpcenter.services.errors import ServiceError
from tests.builders import answer, ask, csrf_token, make_user, member, sign_in

SERVICES = PROJECT_ROOT / "helpcenter" / "services"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENGLISH_SENTENCE = re.compile(r"\b[A-Z][a-z]+ [a-z]+ [a-z]+")


def service_error_names() -> set[str]:
    """Names of every ServiceError subclass in helpcenter.services that takes its message from
    the caller (a class with its own __init__ writes its own message)."""
    import importlib
    import pkgutil

    names = set()
    for info in pkgutil.walk_packages(services_package.__path__, "helpcenter.services."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if not (inspect.isclass(value) and issubclass(value, ServiceError)):
                continue
            if "__init__" not in vars(value) or value is ServiceError:
                names.add(name)
    return names


def raised_messages() -> list[tuple[str, ast.expr | None]]:
    """(where, first argument) of every `raise SomeServiceError(...)` in the services."""
    errors = service_error_names()
    found = []
    for path in sorted(SERVICES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in errors:
                where = f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}"
                found.append((where, node.exc.args[0] if node.exc.args else None))
    return found


def test_the_services_raise_their_errors():
    assert len(raised_messages()) > 20


def case_id(value: str | ast.expr | None) -> str:
    """The same id in every process (pytest-xdist compares them): the source, not the object."""
    return value if isinstance(value, str) else ast.unparse(value)[:60] if value else "none"


@pytest.mark.parametrize(("where", "message"), raised_messages(), ids=case_id)
def test_every_service_error_message_goes_through_the_catalogue(where, message):
    """A message is `_l("…")`, a variable holding one, or absent (the class has its own)."""
    if message is None or isinstance(message, ast.Name):
        return
    assert isinstance(message, ast.Call) and getattr(message.func, "id", "") in ("_l", "str"), (
        f"{where}: raise with a translated message, _l(...), not {ast.unparse(message)}"
    )


def test_every_service_error_class_with_its_own_message_reads_japanese(loaded_app):
    from helpcenter.services.accounts.account import LinkExpired, WrongPassword

    with loaded_app.test_request_context(), force_locale("ja"):
        for error in (LinkExpired(), WrongPassword()):
            text = str(error)
            assert JAPANESE.search(text) and not ENGLISH_SENTENCE.search(text), text


def test_a_japanese_member_is_refused_in_japanese(loaded_app):
    asker = member(loaded_app, lang="ja")
    thread_id = ask(asker)
    answer(member(loaded_app, "helper@example.com"), thread_id)
    page = asker.get(f"/community/t/{thread_id}").get_data(as_text=True)
    opening = re.search(r'id="p(\d+)"', page).group(1)
    response = asker.post(
        f"/community/t/{thread_id}/accept/{opening}", data={"csrf_token": csrf_token(page)}
    )
    shown = asker.get(f"/community/t/{thread_id}").get_data(as_text=True) + response.get_data(
        as_text=True
    )
    assert "この" in shown or JAPANESE.search(shown)
    assert "Only a reply in this thread can be the answer." not in shown


def test_a_wrong_current_password_is_refused_in_japanese(loaded_app):
    make_user(loaded_app, "ja@example.com", lang="ja")
    client = loaded_app.test_client()
    sign_in(client, "ja@example.com")
    page = client.get("/account/").get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(page),
            "current": "not my password at all",
            "password": "another long passphrase",
            "confirm": "another long passphrase",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That isn't your current password." not in html
