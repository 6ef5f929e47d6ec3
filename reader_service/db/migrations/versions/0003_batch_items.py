"""Batch results by item: the position of the URL in its batch, unique per batch, so a job
queue that delivers a URL's message twice (a worker killed after the work, before its
acknowledgement) records its result once.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batch_results") as table:
        table.add_column(sa.Column("item", sa.Integer, nullable=True))
    op.create_index(
        "ux_batch_results_batch_item", "batch_results", ["batch_id", "item"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ux_batch_results_batch_item", "batch_results")
    with op.batch_alter_table("batch_results") as table:
        table.drop_column("item")
