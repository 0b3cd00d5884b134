"""goals (KPI targets) and staff views left out of the self-service score

Revision ID: 5c0a1f7e9b21
Revises: a1426b598273
Create Date: 2026-12-04 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5c0a1f7e9b21"
down_revision = "a1426b598273"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=True),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_goal_category_id_category"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], name=op.f("fk_goal_owner_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_archived_at"), ["archived_at"], unique=False)
    with op.batch_alter_table("article_view", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_staff", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("article_view", schema=None) as batch_op:
        batch_op.drop_column("is_staff")
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_archived_at"))
        batch_op.drop_index(batch_op.f("ix_goal_owner_id"))
    op.drop_table("goal")
