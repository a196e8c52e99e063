"""Contact export (CSV, xlsx, vCard), streamed from keyset pages.

`query` reads the contacts page by page; `columns` makes a contact's cells; `csv`, `xlsx` and
`vcard` write them as bytes; `routes` serves them over HTTP.
"""
