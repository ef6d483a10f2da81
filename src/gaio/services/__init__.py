"""Services: one function per use case. Each takes an Actor, checks permission, validates,
runs one transaction that also appends the ledger entry, and returns domain objects."""
