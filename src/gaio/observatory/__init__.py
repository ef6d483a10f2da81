"""The observatory's publications as pure data: the period report's numbers, findings and
document (computed from public records and ledger events at one ledger size), and the open-data
tables. No database, no faces: the services gather the inputs and write the files."""
