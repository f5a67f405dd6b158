"""Importers of official legislative data and the links from news to measures.

Public API (library functions take a session and do not commit; the caller owns the
transaction, except `import_paths`, which commits each file on its own):

- legislators.import_legislators(session, path) -> ImportReport
- committees.import_committees(session, committees_path, membership_path=None) -> ImportReport
- importer.import_billstatus(session, path) -> ImportReport       (one BILLSTATUS XML file)
- importer.import_congress_json(session, path) -> ImportReport    (one data.json file)
- importer.import_paths(engine, kind, paths) -> list[ImportReport] (one transaction per file)
- billstatus.parse_billstatus(path), congress_json.parse_congress_json(path): pure parsers
  returning parsed.ParsedMeasure values
- overrides.set_override / clear_override: pin a field so re-imports keep it
"""
