"""Background work: rows of a table claimed under a lease, and the loop that runs them.

Each kind of work (mail delivery, imports; next campaigns and duplicate scans) keeps its
state in its own table and plugs in three things: what it claims (`queue.Queue`), how it
handles what it claimed, and how it records the outcome. This package gives the rest:

- `queue`: the claim (one statement; `FOR UPDATE SKIP LOCKED` on PostgreSQL, exclusive on
  SQLite because SQLite serialises writes), lease renewal, settle and release, each only on
  rows the worker still holds; `backoff` for retries;
- `wake`: a runner is woken at once when work is queued, instead of at its next poll;
- `runner`: the loop (poll, wake-up, stop) and a graceful stop of several runners;
- `workers`: the list of runners `crm serve` and `crm worker` start.
"""
