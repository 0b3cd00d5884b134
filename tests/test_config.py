"""Configuration: classes, then HELPCENTER_ environment variables, then overrides."""

import pytest
from sqlalchemy import text

from helpcenter import create_app
from helpcenter.config import ProductionConfig
from helpcenter.extensions import db


def test_environment_variables_override_config(monkeypatch, tmp_path):
    monkeypatch.setenv("HELPCENTER_SEARCH_INDEX_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("HELPCENTER_SEARCH_PER_PAGE", "7")
    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SEARCH_INDEX_DIR"] == str(tmp_path / "elsewhere")
    assert app.config["SEARCH_PER_PAGE"] == 7


def test_defaults_live_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("HELPCENTER_SECRET_KEY", raising=False)
    app = create_app(overrides={})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/instance/helpcenter.sqlite3")
    assert app.config["SEARCH_INDEX_DIR"].endswith("/instance/search-index")
    assert len(app.config["SECRET_KEY"]) == 64
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]


@pytest.mark.parametrize("key", [None, "dev", "short"])
def test_production_refuses_a_development_secret_key(monkeypatch, key):
    monkeypatch.delenv("HELPCENTER_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="HELPCENTER_SECRET_KEY"):
        create_app(ProductionConfig, {"SECRET_KEY": key})


def test_production_starts_with_a_real_key(tmp_path):
    app = create_app(
        ProductionConfig,
        {
            "SECRET_KEY": "k" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
            "PUBLIC_BASE_URL": "https://help.example.com",
        },
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["TRUSTED_HOSTS"] == ["help.example.com"]


def test_unknown_environment_name_is_explained(monkeypatch):
    monkeypatch.setenv("HELPCENTER_ENV", "staging")
    with pytest.raises(RuntimeError, match="HELPCENTER_ENV"):
        create_app()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context(), db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    else:
        pytest.skip("the database under test is not SQLite")


def test_an_unknown_time_zone_stops_the_start_with_its_setting_named(monkeypatch, tmp_path):
    monkeypatch.setenv("HELPCENTER_BABEL_DEFAULT_TIMEZONE", "Asia/Tokio")
    with pytest.raises(RuntimeError, match="HELPCENTER_BABEL_DEFAULT_TIMEZONE='Asia/Tokio'"):
        create_app(overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
