"""Podcast feeds: whether a tenant publishes one, and its channel's title, link and image.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenants") as table:
        table.add_column(
            sa.Column("feed_enabled", sa.Boolean, nullable=False, server_default=sa.false())
        )
        table.add_column(sa.Column("feed_title", sa.Text, nullable=True))
        table.add_column(sa.Column("feed_link", sa.Text, nullable=True))
        table.add_column(sa.Column("feed_image", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenants") as table:
        for column in ("feed_image", "feed_link", "feed_title", "feed_enabled"):
            table.drop_column(column)
