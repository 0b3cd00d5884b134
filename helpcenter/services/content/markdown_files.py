"""The content/ file format: Markdown with YAML front matter, WebVTT transcripts, categories.yml.

Parsing validates everything an author can get wrong and says what to fix; writing produces
the same format back, so import -> export -> import is a no-op.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import frontmatter
import yaml

LANGS = ("en", "ja")
STATUSES = ("published", "draft", "scheduled", "archived")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
FORMAT_VERSION = "1"  # bump when rendering changes, so an import re-renders unchanged files
FRONT_MATTER_KEYS = (
    "title",
    "slug",
    "lang",
    "category",
    "tags",
    "summary",
    "status",
    "translation_key",
    "updated",
    "publish_at",
    "video",
    "duration",
    "transcript",
)


def slug_from_title(title: str, fallback: str) -> str:
    """Lower-case ASCII words of the title joined by hyphens; `fallback` for a Japanese title
    (a slug must be ASCII, and the Latin fragments of a Japanese title rarely say what it is)."""
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", title):
        return fallback
    ascii_words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", title).lower())
    return "-".join(ascii_words)[:60].strip("-") or fallback


class ContentError(ValueError):
    """A content file that cannot be imported; the message names the problem and the fix."""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass
class ContentFile:
    kind: str  # "article" or "video"
    path: str  # relative to the imported folder
    title: str
    slug: str
    lang: str
    body: str
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    status: str = "published"
    translation_key: str | None = None
    updated: date | None = None
    publish_at: datetime | None = None  # UTC; only for status "scheduled"
    video: str | None = None
    duration: int | None = None
    transcript: str | None = None  # file name beside the .md
    cues: list[Cue] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """Hash of what the file means, not its bytes: reformatting a file changes nothing."""
        record = asdict(self)
        record.pop("path")
        record.pop("transcript")  # the cues count, not the file's name
        record["updated"] = self.updated.isoformat() if self.updated else None
        record["publish_at"] = self.publish_at.isoformat() if self.publish_at else None
        payload = json.dumps([FORMAT_VERSION, record], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


def parse_categories(path: Path) -> list[dict]:
    """categories.yml: a list of {slug, en: {name, description}, ja: {...}} in display order."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path.name}: not valid YAML ({exc}).") from exc
    if not isinstance(data, list):
        raise ContentError(f"{path.name}: expected a list of categories.")
    categories = []
    for position, item in enumerate(data):
        slug = item.get("slug") if isinstance(item, dict) else None
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            raise ContentError(f"{path.name}: entry {position + 1} needs a lowercase `slug`.")
        names = {lang: str((item.get(lang) or {}).get("name") or slug) for lang in LANGS}
        descs = {lang: str((item.get(lang) or {}).get("description") or "") for lang in LANGS}
        categories.append(
            {"slug": slug, "position": position, "names": names, "descriptions": descs}
        )
    return categories


def parse_content_file(path: Path, root: Path, kind: str) -> ContentFile:
    rel = path.relative_to(root).as_posix()
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ContentError("not UTF-8 text; save the file as UTF-8.") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"the front matter is not valid YAML: {_first_line(exc)}") from exc
    meta = post.metadata
    unknown = sorted(set(meta) - set(FRONT_MATTER_KEYS))
    if unknown:
        raise ContentError(f"unknown front matter key(s): {', '.join(unknown)}.")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ContentError("no `title` in the front matter.")
    lang = meta.get("lang") or _lang_from_path(rel)
    if lang not in LANGS:
        raise ContentError(f"unknown language {lang!r}: set `lang` to one of {', '.join(LANGS)}.")
    slug = str(meta.get("slug") or _slug_from_name(path.name))
    if not SLUG_RE.match(slug):
        raise ContentError(f"slug {slug!r} must be lowercase letters, digits and hyphens.")
    status = meta.get("status", "published")
    if status not in STATUSES:
        raise ContentError(f"status {status!r} must be one of {', '.join(STATUSES)}.")
    publish_at = _publish_at(meta.get("publish_at"))
    if (status == "scheduled") != (publish_at is not None):
        raise ContentError(
            "`publish_at` (a UTC time like 2026-12-01T09:00:00Z) goes with status `scheduled`, "
            "and only with it."
        )
    doc = ContentFile(
        kind=kind,
        path=rel,
        title=title.strip(),
        slug=slug,
        lang=lang,
        body=post.content.strip() + "\n",
        category=_optional_str(meta, "category"),
        tags=_tags(meta.get("tags")),
        summary=str(meta.get("summary") or "").strip(),
        status=status,
        translation_key=_optional_str(meta, "translation_key"),
        updated=_date(meta.get("updated")),
        publish_at=publish_at,
    )
    if kind == "video":
        _parse_video_fields(doc, meta, path)
    return doc


def _parse_video_fields(doc: ContentFile, meta: dict, path: Path) -> None:
    video = meta.get("video")
    if not isinstance(video, str) or not (
        video.startswith("https://") or video.startswith("/static/videos/")
    ):
        raise ContentError("`video` must be an https:// URL or a file path under /static/videos/.")
    doc.video = video
    doc.duration = _duration(meta.get("duration"))
    transcript = meta.get("transcript")
    if transcript:
        vtt = path.parent / str(transcript)
        if not vtt.is_file():
            raise ContentError(f"transcript file {transcript!r} not found beside {path.name}.")
        doc.transcript = str(transcript)
        doc.cues = parse_webvtt(vtt.read_text(encoding="utf-8-sig"))


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def _lang_from_path(rel: str) -> str | None:
    parts = rel.split("/")
    stem_parts = parts[-1].split(".")
    for candidate in [*parts[:-1], *stem_parts[1:-1]]:
        if candidate in LANGS:
            return candidate
    return None


def _slug_from_name(name: str) -> str:
    stem = name[: -len(".md")] if name.endswith(".md") else name
    for lang in LANGS:
        if stem.endswith(f".{lang}"):
            stem = stem[: -len(lang) - 1]
    return stem.lower()


def _optional_str(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    return str(value).strip() if value not in (None, "") else None


def _tags(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        raise ContentError("`tags` must be a list or a comma-separated string.")
    return [str(tag).strip() for tag in value if str(tag).strip()]


def _publish_at(value) -> datetime | None:
    """A time in the front matter, stored as naive UTC like every time in the database."""
    if value in (None, ""):
        return None
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ContentError(
            f"`publish_at` {value!r} is not a time like 2026-12-01T09:00:00Z."
        ) from exc
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ContentError(f"`updated` {value!r} is not a date like 2026-01-31.") from exc


def _duration(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    parts = str(value).split(":")
    try:
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + int(part)
        return seconds
    except ValueError as exc:
        raise ContentError(f"`duration` {value!r} must be seconds or m:ss.") from exc


# -- WebVTT ------------------------------------------------------------------------------------

_TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)")
_TAG = re.compile(r"<[^>]+>")


def _timestamp(text: str) -> float:
    parts = text.replace(",", ".").split(":")
    if len(parts) not in (2, 3):
        raise ValueError(text)
    seconds = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[0]) if len(parts) == 3 else 0
    return hours * 3600 + minutes * 60 + seconds


def parse_webvtt(text: str) -> list[Cue]:
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or not lines[0].startswith("WEBVTT"):
        raise ContentError("the transcript must start with the line WEBVTT.")
    cues: list[Cue] = []
    blocks = "\n".join(lines[1:]).split("\n\n")
    for block in blocks:
        rows = [row for row in block.split("\n") if row.strip()]
        timing_at = next((i for i, row in enumerate(rows) if "-->" in row), None)
        if timing_at is None:
            continue  # NOTE, STYLE and REGION blocks
        match = _TIMING.match(rows[timing_at])
        try:
            if match is None:
                raise ValueError(rows[timing_at])
            start, end = _timestamp(match.group(1)), _timestamp(match.group(2))
        except (AttributeError, ValueError) as exc:
            raise ContentError(f"bad cue timing {rows[timing_at]!r} in the transcript.") from exc
        words = " ".join(_TAG.sub("", row).strip() for row in rows[timing_at + 1 :]).strip()
        if words:
            cues.append(Cue(start=start, end=end, text=words))
    return cues


def format_timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def format_webvtt(cues: list[Cue]) -> str:
    blocks = [f"{format_timestamp(c.start)} --> {format_timestamp(c.end)}\n{c.text}" for c in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def format_content_file(doc: ContentFile) -> str:
    """The Markdown file for `doc`: front matter in a fixed key order, then the body."""
    meta: dict = {"title": doc.title, "slug": doc.slug, "lang": doc.lang}
    optional = {
        "category": doc.category,
        "tags": doc.tags or None,
        "summary": doc.summary or None,
        "status": doc.status,
        "translation_key": doc.translation_key,
        "updated": doc.updated,
        "publish_at": doc.publish_at.strftime("%Y-%m-%dT%H:%M:%SZ") if doc.publish_at else None,
        "video": doc.video,
        "duration": doc.duration,
        "transcript": doc.transcript,
    }
    meta.update({k: v for k, v in optional.items() if v is not None})
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n{doc.body.strip()}\n"
