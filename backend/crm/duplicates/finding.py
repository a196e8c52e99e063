"""Whether two contacts look like one person, why, and how sure we are (no database here).

Score, 0-100: each reason is independent evidence with a weight (the chance it alone means
one person), combined as 1 - prod(1 - weight). Same email 0.9; same phone 0.6 (families and
switchboards share numbers); similar names 0.5 at the threshold up to 0.8 for equal names;
same company 0.2, only in support. E.g. same phone alone 60, equal names in one city 80,
equal names and a shared phone 92, same email 90.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.duplicates.keys import Profile, dice
from crm.duplicates.models import DuplicateReason

# Trigram Dice similarity of the folded names, from which names count as similar. 0.75
# keeps a typo or a letter more or less in an ordinary name (Jon/John Smith 0.76, Alice
# Adam/Adams 0.86, Catherine/Katherine Dupont 0.82, Anna Müller/Mueller 0.80) and leaves out
# other people of one family (John/Jane Smith 0.64, Alice Adam/Martin 0.52).
NAME_THRESHOLD = 0.75
# And word by word (Jaro-Winkler): Jon/John 0.93, Catherine/Katherine 0.93, Dwayne/Duane
# 0.84... agree; Roda/Rocha 0.83, John/Jane 0.70 and Eric/Eva 0.58 do not.
WORD_THRESHOLD = 0.84

_WEIGHTS = {
    DuplicateReason.SAME_EMAIL: 0.9,
    DuplicateReason.SAME_PHONE: 0.6,
    DuplicateReason.SAME_COMPANY: 0.2,
}
_NAME_WEIGHT_AT_THRESHOLD = 0.5
_NAME_WEIGHT_EQUAL = 0.8


@dataclass(frozen=True)
class Match:
    low_id: int
    high_id: int
    reasons: tuple[DuplicateReason, ...]
    score: int

    @property
    def pair(self) -> tuple[int, int]:
        return self.low_id, self.high_id

    @property
    def reasons_text(self) -> str:
        return ",".join(self.reasons)


def compare(a: Profile, b: Profile) -> Match | None:
    """The reasons `a` and `b` may be one person, or None. Similar names need something
    else shared (company, city, email domain, phone or email); a shared company alone is
    not a reason, only support for another."""
    reasons: set[DuplicateReason] = set()
    if a.email_key and a.email_key == b.email_key:
        reasons.add(DuplicateReason.SAME_EMAIL)
    if a.phones & b.phones:
        reasons.add(DuplicateReason.SAME_PHONE)
    same_company = a.company_id is not None and a.company_id == b.company_id
    shared = (
        reasons
        or same_company
        or (a.city_key is not None and a.city_key == b.city_key)
        or (a.domain is not None and a.domain == b.domain)
    )
    similarity = dice(a.name_trigrams, b.name_trigrams) if shared else 0.0
    if similarity >= NAME_THRESHOLD and words_agree(a.name_tokens, b.name_tokens):
        reasons.add(DuplicateReason.SIMILAR_NAME)
    if not reasons:
        return None
    if same_company:
        reasons.add(DuplicateReason.SAME_COMPANY)
    ordered = tuple(reason for reason in DuplicateReason if reason in reasons)
    low, high = sorted((a.id, b.id))
    return Match(low, high, ordered, score(ordered, similarity))


def words_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Each word of the shorter name has a close one in the other (Jaro-Winkler, or an
    initial): a long shared family name must not make Eric and Eva Edvardsson one person."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(_close(word, other) for other in longer) for word in shorter)


def _close(one: str, other: str) -> bool:
    if len(one) == 1 or len(other) == 1:
        return one[0] == other[0]
    return one == other or jaro_winkler(one, other) >= WORD_THRESHOLD


def jaro_winkler(one: str, other: str) -> float:
    window = max(0, max(len(one), len(other)) // 2 - 1)
    taken = [False] * len(other)
    matched = []
    for index, ch in enumerate(one):
        for at in range(max(0, index - window), min(len(other), index + window + 1)):
            if not taken[at] and other[at] == ch:
                taken[at] = True
                matched.append(ch)
                break
    if not matched:
        return 0.0
    other_matched = [ch for ch, used in zip(other, taken, strict=True) if used]
    transpositions = sum(x != y for x, y in zip(matched, other_matched, strict=True)) / 2
    count = len(matched)
    jaro = (count / len(one) + count / len(other) + (count - transpositions) / count) / 3
    prefix = 0
    for x, y in zip(one[:4], other[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def score(reasons: tuple[DuplicateReason, ...], similarity: float) -> int:
    doubt = 1.0
    for reason in reasons:
        doubt *= 1 - _reason_weight(reason, similarity)
    return round(100 * (1 - doubt))


def _reason_weight(reason: DuplicateReason, similarity: float) -> float:
    if reason != DuplicateReason.SIMILAR_NAME:
        return _WEIGHTS[reason]
    closeness = (similarity - NAME_THRESHOLD) / (1 - NAME_THRESHOLD)
    return _NAME_WEIGHT_AT_THRESHOLD + (_NAME_WEIGHT_EQUAL - _NAME_WEIGHT_AT_THRESHOLD) * closeness
