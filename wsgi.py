"""WSGI entry point: `gunicorn wsgi:app`."""

from helpcenter import create_app

app = create_app()
