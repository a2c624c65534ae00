from enum import StrEnum


class AnimeType(StrEnum):
    MOVIE = "movie"
    ONA = "ona"
    OVA = "ova"
    SPECIAL = "special"
    TV = "tv"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
