"""A whole-folder import commits in batches: searches keep answering while it runs."""

import threading

from helpcenter.services.content import imports

FILES = 2000


def write_folder(root, count: int) -> None:
    (root / "articles" / "en" / "account").mkdir(parents=True)
    for number in range(count):
        (root / "articles" / "en" / "account" / f"note-{number:04d}.md").write_text(
            f"---\ntitle: Release note {number}\ncategory: account\n---\n\n"
            f"Change {number}: the export button moved to the board menu.\n",
            encoding="utf-8",
        )


def test_searches_answer_while_two_thousand_files_are_imported(loaded_app, tmp_path, content_dir):
    folder = tmp_path / "bulk"
    write_folder(folder, FILES)
    (folder / "categories.yml").write_text((content_dir / "categories.yml").read_text("utf-8"))
    finished = threading.Event()
    summary = []

    def run_import():
        with loaded_app.app_context():
            summary.append(imports.import_content(folder))
        finished.set()

    importer = threading.Thread(target=run_import)
    importer.start()
    client = loaded_app.test_client()
    statuses = []
    while not finished.is_set():
        statuses.append(client.get("/search", query_string={"q": "password"}).status_code)
    importer.join()
    assert summary[0].ok and summary[0].added == FILES
    assert len(statuses) > 3 and set(statuses) == {200}, statuses
