"""The Japanese interface is complete: every message in code and templates is translated."""

from io import BytesIO

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from helpcenter.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "helpcenter" / "translations"
METHODS = [("helpcenter/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "lazy_gettext": None, "gettext": None, "ngettext": (1, 2)}


def load_po():
    return read_po(BytesIO((TRANSLATIONS / "ja/LC_MESSAGES/messages.po").read_bytes()))


def as_key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def extracted_ids() -> set[str]:
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), METHODS, keywords=KEYWORDS
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_every_interface_message_has_a_japanese_translation():
    catalog = load_po()
    translated = {m.id[0] if isinstance(m.id, tuple) else m.id: m.string for m in catalog if m.id}
    missing = sorted(i for i in extracted_ids() if not translated.get(i))
    assert missing == [], "run the translation steps in the README for: " + "; ".join(missing)


def test_compiled_catalog_matches_the_po_file():
    po = load_po()
    mo = read_mo(BytesIO((TRANSLATIONS / "ja/LC_MESSAGES/messages.mo").read_bytes()))
    strings = lambda catalog: {as_key(m.id): as_key(m.string) for m in catalog if m.id}  # noqa: E731
    assert strings(po) == strings(mo)


def test_japanese_readers_see_a_japanese_interface(client):
    html = client.get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "どのようなことでお困りですか？" in html and "How can we help?" not in html


def test_no_message_hides_inside_an_f_string():
    """Babel cannot extract _("...") written inside an f-string: it would stay English."""
    import re

    hidden = [
        f"{path.relative_to(PROJECT_ROOT)}:{n}"
        for path in (PROJECT_ROOT / "helpcenter").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""\bf(["'])[^"']*\{_l?\(""", line)
    ]
    assert hidden == []
