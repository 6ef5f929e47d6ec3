"""Tenants and keys, article records, batches, pre-generation page state.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("webhook", sa.Text, nullable=True),
        sa.Column("created", sa.String(32), nullable=False),
    )
    op.create_table(
        "tenant_hosts",
        sa.Column(
            "tenant",
            sa.String(200),
            sa.ForeignKey("tenants.name", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("host", sa.String(300), primary_key=True),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("tenant", sa.String(200), sa.ForeignKey("tenants.name"), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("revoked", sa.String(32), nullable=True),
    )
    op.create_index("ix_api_keys_tenant", "api_keys", ["tenant"])
    op.create_table(
        "articles",
        sa.Column("id", sa.String(24), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("updated", sa.String(32), nullable=False),
    )
    op.create_index("ix_articles_owner", "articles", ["owner"])
    op.create_table(
        "batches",
        sa.Column("id", sa.String(24), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("request_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("updated", sa.String(32), nullable=False),
    )
    op.create_index("ix_batches_owner", "batches", ["owner"])
    op.create_index("ix_batches_request_key", "batches", ["request_key"])
    op.create_table(
        "batch_results",
        sa.Column(
            "batch_id",
            sa.String(24),
            sa.ForeignKey("batches.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("result", sa.Text, nullable=False),
    )
    op.create_table(
        "page_states",
        sa.Column("url_hash", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("updated", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "page_states",
        "batch_results",
        "batches",
        "articles",
        "api_keys",
        "tenant_hosts",
        "tenants",
    ):
        op.drop_table(table)
