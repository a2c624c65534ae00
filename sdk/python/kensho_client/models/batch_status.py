from enum import StrEnum


class BatchStatus(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"

    def __str__(self) -> str:
        return str(self.value)
