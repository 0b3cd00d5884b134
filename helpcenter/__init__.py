"""Helpcenter: a bilingual self-hosted help center. `create_app` only wires things together."""

from __future__ import annotations

from typing import Any

from flask import Flask

from helpcenter.config import PROJECT_ROOT, Config, config_from_env, finalise


def create_app(
    config: type[Config] | None = None, overrides: dict[str, Any] | None = None
) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_object(config or config_from_env())
    app.config.from_prefixed_env("HELPCENTER")
    app.config.update(overrides or {})
    finalise(app.config, app.instance_path)

    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from helpcenter import access, cache_versions, database, i18n, input_guard, visitors
    from helpcenter.extensions import db, migrate, search_index
    from helpcenter.services.search import indexing

    db.init_app(app)
    database.init_app(app)
    cache_versions.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "helpcenter" / "migrations"))
    access.init_app(app)
    input_guard.init_app(app)  # before the blueprints: their <int:…> rules use its converter
    i18n.init_app(app)
    search_index.init_app(app)
    indexing.init_app(app)  # a PostgreSQL index is written in the content's transaction
    visitors.init_app(app)


def register_blueprints(app: Flask) -> None:
    from helpcenter.blueprints.account.views import bp as account_bp
    from helpcenter.blueprints.admin import bp as admin_bp
    from helpcenter.blueprints.api.analytics import bp as api_analytics_bp
    from helpcenter.blueprints.api.staff import bp as api_staff_bp
    from helpcenter.blueprints.api.views import bp as api_bp
    from helpcenter.blueprints.auth.views import bp as auth_bp
    from helpcenter.blueprints.community.views import bp as community_bp
    from helpcenter.blueprints.health import bp as health_bp
    from helpcenter.blueprints.main.views import bp as main_bp
    from helpcenter.blueprints.search.views import bp as search_bp
    from helpcenter.blueprints.seo import bp as seo_bp
    from helpcenter.blueprints.staff import bp as staff_bp
    from helpcenter.blueprints.support.views import bp as support_bp

    for blueprint in (
        main_bp,
        search_bp,
        community_bp,
        support_bp,
        auth_bp,
        account_bp,
        staff_bp,
        admin_bp,
        seo_bp,
        health_bp,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(api_staff_bp, url_prefix="/api/v1", name="api_staff")
    app.register_blueprint(api_analytics_bp, url_prefix="/api/v1")


def register_hooks(app: Flask) -> None:
    from helpcenter import errors, scheduling, security

    errors.init_app(app)
    security.init_app(app)
    scheduling.init_app(app)


def register_commands(app: Flask) -> None:
    from helpcenter import cli

    cli.init_app(app)
