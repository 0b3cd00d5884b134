"""Configuration classes; environment variables prefixed HELPCENTER_ override them."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from pytz import UnknownTimeZoneError, timezone

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_PLACEHOLDER = "dev"  # noqa: S105 - a marker production refuses, not a secret
DEV_BASE_URL = "http://127.0.0.1:5000"  # `flask run`'s address


class Config:
    """Defaults for every environment; paths left None are derived from the instance folder."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SEARCH_INDEX_DIR: str | None = None
    # "whoosh": an index in the instance folder (one machine); "postgresql": tables in the
    # application's PostgreSQL database, shared by every app server.
    SEARCH_BACKEND = "whoosh"
    CONTENT_DIR: str = str(PROJECT_ROOT / "content")
    LANGUAGES: tuple[str, ...] = ("en", "ja")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"  # staff read and enter times (scheduled publishing) in it
    SCHEDULE_CHECK_SECONDS = 60  # how often requests look for scheduled articles that are due
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent / "translations")
    MAX_CONTENT_LENGTH = 1024 * 1024
    SEARCH_PER_PAGE = 10
    POPULAR_REFRESH_SECONDS = 300  # each process counts the home page's most-read pages this often
    SEARCH_MAX_PER_PAGE = 50
    SEARCH_MAX_QUERY_CHARS = 500
    # Processes that analyse pages during `search rebuild` (analysis is most of its time).
    SEARCH_INDEX_PROCS = min(os.cpu_count() or 1, 4)
    VISITOR_COOKIE = "hc_vid"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Tsumiki Help Center <help@localhost>"
    MAIL_TIMEOUT = 10
    # The web process runs due jobs itself; production runs `flask worker` and sets it false.
    JOBS_INLINE = True
    JOBS_LEASE_SECONDS = 300  # a claimed job whose worker died is taken again after this
    JOBS_RETRY_SECONDS = 30  # the first retry's delay; each further one doubles it
    JOBS_MAX_ATTEMPTS = 8
    JOBS_POLL_SECONDS = 5
    # Webhooks go only to public addresses, over https (no server-side request forgery); off
    # outside production, where http://127.0.0.1 and http://localhost may receive them too.
    WEBHOOKS_PUBLIC_ONLY = False
    WEBHOOKS_TIMEOUT_SECONDS = 5
    WTF_CSRF_CHECK_DEFAULT = False  # checked in access.py, which exempts bearer-token API calls
    # Counted once for the whole site in its database (rate_limits.py); redis://host:6379/0 to
    # keep the counts in Redis instead. memory:// counts in each process apart.
    RATELIMIT_STORAGE_URI = "database://"
    RATELIMIT_HEADERS_ENABLED = True
    # If that storage stops answering (Redis restarting), pages keep working: each process counts
    # in its own memory until the storage is back, and never answers 500 for a limit.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
    SUPPORT_EMAIL = "support@tsumiki.example"
    ANALYTICS_RETENTION_DAYS = 365
    # Every link in mail starts with this, never with the Host a request came with.
    PUBLIC_BASE_URL: str | None = DEV_BASE_URL
    TRUSTED_HOSTS: list[str] | None = None  # any host; production adds PUBLIC_BASE_URL's
    # Reverse proxies (nginx, a load balancer) in front that set X-Forwarded-For and -Proto: the
    # client address rate limits count by is then the one the nearest of them saw.
    BEHIND_PROXIES = 0
    # Past this many addresses /sitemap.xml becomes an index of files this size (the protocol
    # allows 50,000 per file; smaller files are quicker to build on each request).
    SITEMAP_URLS_PER_FILE = 10_000
    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False  # the debugger is opt-in: `flask run --debug`


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105
    RATELIMIT_ENABLED = False  # the rate-limit tests switch it back on
    SEARCH_INDEX_PROCS = 1  # tiny indexes: a process per rebuild costs more than it saves


class ProductionConfig(Config):
    ENV_NAME = "production"
    PUBLIC_BASE_URL = None  # required: finalise() refuses to start without it
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # __Host- cookies must be Secure, for path / and without a Domain: a sibling subdomain
    # cannot set or shadow them.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_PATH = "/"
    REMEMBER_COOKIE_NAME = "__Host-remember_token"
    REMEMBER_COOKIE_PATH = "/"
    WEBHOOKS_PUBLIC_ONLY = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The config class named by HELPCENTER_ENV (default: development)."""
    name = os.environ.get("HELPCENTER_ENV", "development").lower()
    if name not in CONFIGS:
        raise RuntimeError(
            f"HELPCENTER_ENV={name!r} is not one of {', '.join(CONFIGS)}; set it to one of them."
        )
    return CONFIGS[name]


def _check_search_backend(config: dict) -> None:
    backend = config.get("SEARCH_BACKEND", "whoosh")
    if backend not in ("whoosh", "postgresql"):
        raise RuntimeError(
            f"HELPCENTER_SEARCH_BACKEND={backend!r} is not a search backend; set it to "
            "whoosh (the default) or postgresql."
        )
    scheme = urlsplit(str(config["SQLALCHEMY_DATABASE_URI"])).scheme
    if backend == "postgresql" and not scheme.startswith("postgresql"):
        raise RuntimeError(
            "HELPCENTER_SEARCH_BACKEND=postgresql keeps search in the application's database, "
            f"but HELPCENTER_SQLALCHEMY_DATABASE_URI is a {scheme.split('+')[0]} database: set it "
            "to a postgresql+psycopg:// URL, or use the whoosh backend."
        )


def finalise(config: dict, instance_path: str) -> None:
    """Fill instance-relative defaults and refuse unsafe production settings."""
    instance = Path(instance_path)
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        instance.mkdir(parents=True, exist_ok=True)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'helpcenter.sqlite3'}"
    if not config.get("SEARCH_INDEX_DIR"):
        config["SEARCH_INDEX_DIR"] = str(instance / "search-index")
    _check_search_backend(config)
    key = config.get("SECRET_KEY")
    if config.get("ENV_NAME") == "production":
        if not key or key == DEV_SECRET_PLACEHOLDER or len(key) < 32:
            raise RuntimeError(
                "Production needs a real secret key: set HELPCENTER_SECRET_KEY to a random "
                'string of at least 32 characters (python -c "import secrets; '
                'print(secrets.token_hex(32))").'
            )
        _production_host_settings(config)
    elif not key:
        config["SECRET_KEY"] = _instance_secret(instance)
    config["PUBLIC_BASE_URL"] = _checked_base_url(config.get("PUBLIC_BASE_URL") or DEV_BASE_URL)
    _check_timezone(config.get("BABEL_DEFAULT_TIMEZONE", "UTC"))
    if isinstance(config.get("TRUSTED_HOSTS"), str):  # one name given without JSON brackets
        config["TRUSTED_HOSTS"] = [config["TRUSTED_HOSTS"]]


def _production_host_settings(config: dict) -> None:
    """Mail links must not come from a request's Host header, so production needs the public
    address; requests for any other host are refused unless the operator lists it too."""
    if not config.get("PUBLIC_BASE_URL"):
        raise RuntimeError(
            "Production needs the site's public address for the links in mail: set "
            "HELPCENTER_PUBLIC_BASE_URL, for example https://help.example.com."
        )
    if config.get("SESSION_COOKIE_DOMAIN") or config.get("REMEMBER_COOKIE_DOMAIN"):
        raise RuntimeError(
            "Production cookies are __Host- cookies, which browsers refuse with a Domain: "
            "unset HELPCENTER_SESSION_COOKIE_DOMAIN and HELPCENTER_REMEMBER_COOKIE_DOMAIN."
        )
    public_host = urlsplit(_checked_base_url(config["PUBLIC_BASE_URL"])).hostname
    listed = config.get("TRUSTED_HOSTS") or []
    listed = [listed] if isinstance(listed, str) else list(listed)
    config["TRUSTED_HOSTS"] = [public_host, *(h for h in listed if h != public_host)]


def _check_timezone(name: str) -> None:
    """Every date on every page is shown in it: a typo must stop the start, not each page."""
    try:
        timezone(str(name))
    except UnknownTimeZoneError:
        raise RuntimeError(
            f"HELPCENTER_BABEL_DEFAULT_TIMEZONE={name!r} is not a time zone: use a name from the "
            "tz database, for example UTC, Asia/Tokyo or Europe/London."
        ) from None


def _checked_base_url(url: str) -> str:
    """`https://host[:port][/prefix]`, without a trailing slash, query or fragment."""
    parts = urlsplit(str(url).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(
            f"HELPCENTER_PUBLIC_BASE_URL={url!r} is not a site address: use the form "
            "https://help.example.com (optionally with a path prefix, like /help)."
        )
    return parts._replace(path=parts.path.rstrip("/")).geturl()


def _instance_secret(instance: Path) -> str:
    """A development key made once and kept in the instance folder: sessions survive restarts."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
