"""The map page and the API docs pages: served by the app itself, nothing loaded from outside."""
