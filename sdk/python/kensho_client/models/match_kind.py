from enum import StrEnum


class MatchKind(StrEnum):
    EXACT = "exact"
    FUZZY = "fuzzy"
    PREFIX = "prefix"
    SYNONYM = "synonym"

    def __str__(self) -> str:
        return str(self.value)
