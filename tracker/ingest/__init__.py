"""Feed ingestion: fetch (HTTP, no database) → parse (pure) → store (upserts) → run
(orchestration, one transaction per feed). Entry points: tracker.ingest.run.ingest_paths
and tracker.ingest.run.ingest_due."""
