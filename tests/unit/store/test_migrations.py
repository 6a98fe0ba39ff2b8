"""The migration files form one line of descent whose head is the highest number (what start-up relies on)."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory

from cognate.store.sql.engine import MIGRATIONS, head_revision


def test_head_revision_matches_alembic() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == [head_revision()]
    revisions = [r.revision for r in script.walk_revisions()]
    assert revisions == sorted(revisions, reverse=True)
