"""ASGI entry point for servers: `uvicorn leye_yiyang.asgi:app`."""

from leye_yiyang.app import create_app

app = create_app()
