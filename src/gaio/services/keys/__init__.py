"""Signing keys over time: per-body issuer keys, the ledger key, rotation, and moving them.

``issuers`` creates and publishes the certification bodies' keys; ``ledger`` lists the ledger's
keys with their periods for verification; ``rotation`` retires a key for a new one (a ledger
entry); ``bundle`` exports and imports every private key under a passphrase.
"""
