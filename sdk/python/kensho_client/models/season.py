from enum import StrEnum


class Season(StrEnum):
    FALL = "fall"
    SPRING = "spring"
    SUMMER = "summer"
    WINTER = "winter"

    def __str__(self) -> str:
        return str(self.value)
