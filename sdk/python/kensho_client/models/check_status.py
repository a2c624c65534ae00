from enum import StrEnum


class CheckStatus(StrEnum):
    DOWN = "down"
    PENDING = "pending"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
