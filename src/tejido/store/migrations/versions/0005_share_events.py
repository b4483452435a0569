"""share events

Revision ID: 0005
Revises: 0004

The rows of share logs (``tejido import shares``). ``upload.kind`` gains the value
``shares``; it is a plain VARCHAR(24) without a CHECK constraint, so only the table is new.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "share_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "upload_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("post", sa.String(length=256), nullable=False),
        sa.Column(
            "person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_share_event_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["upload.id"],
            name=op.f("fk_share_event_upload_id_upload"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_event")),
        sa.UniqueConstraint("upload_id", "post", "person_id", "action", name="uq_share_event_row"),
    )
    with op.batch_alter_table("share_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_event_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("share_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_event_person_id"))

    op.drop_table("share_event")
