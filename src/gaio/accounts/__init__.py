"""Accounts: users of organisations with roles, password hashing, API tokens, sessions."""
