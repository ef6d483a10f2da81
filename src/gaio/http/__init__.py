"""The REST API face (FastAPI) over the services. ``create_app`` is the factory."""

from gaio.http.app import create_app

__all__ = ["create_app"]
