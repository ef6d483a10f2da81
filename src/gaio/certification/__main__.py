"""``python -m gaio.certification verify CERT.json --key did:key:…``: verify offline."""

import sys

from gaio.cli.certificates import main

sys.exit(main())
