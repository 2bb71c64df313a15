"""The web face of gongbao: what the pages and the HTTP API show (`pages`), how it is turned into HTML (`render`,
Jinja2 templates with autoescaping, `static/` for CSS and the little JavaScript), served by `app` (FastAPI)."""
