"""The search outbox under races: an update queued while another process drains is applied,
never deleted unapplied, and never overwritten by an older state of the page."""

import threading
import time

from helpcenter.extensions import db, search_index
from helpcenter.models import SearchOutbox, Thread
from helpcenter.services import indexing
from tests.test_forum import ask, found, member


def test_an_update_queued_while_a_drainer_waits_for_the_index_is_not_lost(loaded_app):
    """SQLite gives a new row the id of one just deleted: a drainer that read the old row must
    not delete the new one. Here a drainer waits for the writer while the queue empties and an
    edit is queued under the same id."""
    asker = member(loaded_app)
    edited_id = ask(asker, title="Calendar sync drops events", body="Events vanish.")
    with loaded_app.app_context():
        busy = search_index._open().writer()  # another process is writing the index
        queued = indexing.outbox_row("thread", edited_id)
        db.session.add(queued)
        db.session.commit()
        first_id = queued.id

    def drain():
        with loaded_app.app_context():
            indexing.drain_outbox()

    waiting = threading.Thread(target=drain)
    waiting.start()
    time.sleep(0.5)  # the drainer is now waiting for the writer
    with loaded_app.app_context():
        db.session.query(SearchOutbox).delete()  # another process applied that update...
        db.session.get(Thread, edited_id).title = "Gantt export is blank"  # ...then an edit
        edit = indexing.outbox_row("thread", edited_id)
        db.session.add(edit)
        db.session.commit()
        reused = edit.id == first_id or db.engine.dialect.name == "postgresql"  # never reuses
    busy.cancel()
    waiting.join(timeout=30)
    with loaded_app.app_context():
        assert indexing.pending_updates() == 0
    assert ("thread", "Gantt export is blank") in found(loaded_app, "gantt export")
    assert reused
