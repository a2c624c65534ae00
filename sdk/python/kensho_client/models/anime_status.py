from enum import StrEnum


class AnimeStatus(StrEnum):
    FINISHED = "finished"
    ONGOING = "ongoing"
    UNKNOWN = "unknown"
    UPCOMING = "upcoming"

    def __str__(self) -> str:
        return str(self.value)
