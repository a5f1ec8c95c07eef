// Placeholder until the gateway lands; replaced by the ingest sources.
