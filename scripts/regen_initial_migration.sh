#!/usr/bin/env bash
# Development only, before the first release: rebuild migration 0001 from the models.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f /tmp/tejido-regen.db src/tejido/store/migrations/versions/0001_initial_schema.py
.venv/bin/python - <<'PY'
from alembic import command
from tejido.store.engine import _alembic_config, make_engine
engine = make_engine("sqlite:////tmp/tejido-regen.db")
command.revision(_alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001")
PY
sed -i 's/^Revises: $/Revises: (none)/; /^Create Date/d' src/tejido/store/migrations/versions/0001_initial_schema.py
.venv/bin/ruff format -q src/tejido/store/migrations/versions/
.venv/bin/ruff check -q --fix src/tejido/store/migrations/versions/
rm -f /tmp/tejido-regen.db
