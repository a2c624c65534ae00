from enum import StrEnum


class RelationKind(StrEnum):
    PREQUEL = "prequel"
    RELATED = "related"
    SEQUEL = "sequel"

    def __str__(self) -> str:
        return str(self.value)
