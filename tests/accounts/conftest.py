from tests.editing.conftest import edit_db, edit_url  # noqa: F401  (the editing database)
