"""Contact export (CSV, xlsx, vCard), streamed from keyset pages."""
