"""Server-rendered pages (Jinja2): one router per area."""
