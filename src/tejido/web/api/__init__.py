"""The JSON REST API under ``/api``: one router per resource."""
