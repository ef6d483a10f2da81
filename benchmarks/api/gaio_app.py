"""gaio's app for the benchmark server (settings from GAIO_HOME / GAIO_DATABASE_URL)."""

from gaio.http import create_app

app = create_app(anonymous_rate=(10**9, 1.0))
