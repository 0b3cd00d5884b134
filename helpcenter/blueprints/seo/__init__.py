"""What search engines read: /sitemap.xml, /robots.txt, and `noindex` on private pages."""

from flask import Blueprint

bp = Blueprint("seo", __name__)

from helpcenter.blueprints.seo import views  # noqa: E402, F401 - registers the routes on bp
