"""What search engines read: /sitemap.xml, /robots.txt, and `noindex` on private pages."""

from helpcenter.blueprints.seo.views import bp

__all__ = ["bp"]
