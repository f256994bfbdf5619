"""ASGI entry point for servers: `granian --interface asgi leye_yiyang.asgi:app` (or any ASGI server)."""

from leye_yiyang.app import create_app

app = create_app()
