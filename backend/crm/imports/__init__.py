"""Contact import: upload, column mapping, preview, background job, failed rows."""
