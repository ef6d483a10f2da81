"""Conformity assessment and certification core: plans from obligations, checklists,
reports, and W3C Verifiable Credentials with eddsa-jcs-2022 proofs and status lists."""
