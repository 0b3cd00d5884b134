"""Self-service content: what readers browse (catalog, sitemap), what staff write and curate
(curation, revisions, the editor, promotion from the community), the content/ folder's Markdown
files and their import, readers' feedback, and the articles that need attention."""
