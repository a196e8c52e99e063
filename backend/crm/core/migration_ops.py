"""Migration operations of our own, for what tortoise's do in a way we cannot use."""

from __future__ import annotations

from tortoise.migrations import operations as ops


class AlterDescription(ops.AlterField):
    """A field whose description alone changes (an enum's new value that fits its column):
    the migration state follows, the database is left alone. On SQLite, tortoise's
    AlterField rebuilds the table, and the rebuilt table has lost its indexes."""

    async def database_forward(self, *args: object, **kwargs: object) -> None:
        return None

    async def database_backward(self, *args: object, **kwargs: object) -> None:
        return None
