"""``python -m gaio.certification verify CERT.json --key did:key:…``: verify offline."""

import sys

from gaio.certification.certificate_cli import main

sys.exit(main())
