"""Listening statistics (aggregates only) and the service's own shared secrets.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "listen_stats",
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("article_id", sa.String(24), primary_key=True),
        sa.Column("metric", sa.String(40), primary_key=True),
        sa.Column("host", sa.String(300), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_index("ix_listen_stats_host", "listen_stats", ["host"])
    op.create_table(
        "service_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
    )
    # Rate-limit buckets held client addresses; from now on they hold keyed hashes.
    op.execute("DELETE FROM rate_hits")


def downgrade() -> None:
    op.drop_table("service_secrets")
    op.drop_index("ix_listen_stats_host", "listen_stats")
    op.drop_table("listen_stats")
