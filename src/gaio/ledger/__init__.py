"""The transparency ledger: an RFC 9162 Merkle log with C2SP signed checkpoints.

Pure core only: :mod:`gaio.ledger.merkle` (tree hashing, proofs from stored nodes, verification),
:mod:`gaio.ledger.note` (signed notes, Ed25519 keys, checkpoints) and :mod:`gaio.ledger.proofs`
(self-contained proof documents that a third party verifies offline). No database, no network.
"""
