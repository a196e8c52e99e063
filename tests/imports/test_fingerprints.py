"""The compact set that remembers which emails a file already had."""

from __future__ import annotations

import random

from crm.imports.rows import FingerprintSet, email_fingerprint


def test_it_answers_as_a_set_does() -> None:
    rng = random.Random(3)
    compact, plain = FingerprintSet(), set()
    keys = [f"person{rng.randrange(30_000)}@example.com" for _ in range(40_000)]
    for key in keys:
        fingerprint = email_fingerprint(key)
        assert (fingerprint in compact) == (fingerprint in plain)
        compact.add(fingerprint)
        plain.add(fingerprint)
    compact.update([0, 2**64 - 1, 0])
    plain.update([0, 2**64 - 1])
    assert len(compact) == len(plain)
    assert all(f in compact for f in plain)
    assert not any(email_fingerprint(f"other{n}@example.com") in compact for n in range(5_000))
