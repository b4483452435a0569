"""The web layer: a FastAPI app serving the JSON API (and, later, the pages)."""
