"""gaio, the Global AI Observatory.

The public surface is deliberately small: the package version and the error hierarchy.
Capabilities live in their own sub-packages (``gaio.registry``, ``gaio.ledger`` ...).
"""

from gaio.errors import GaioError

__version__ = "0.1.0"

__all__ = ["GaioError", "__version__"]
