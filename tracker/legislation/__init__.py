"""Importers of official legislative data and the links from news to measures.

Public API (each takes a session and does not commit; the caller owns the transaction):

- legislators.import_legislators(session, path) -> ImportReport
- committees.import_committees(session, committees_path, membership_path=None) -> ImportReport
"""
