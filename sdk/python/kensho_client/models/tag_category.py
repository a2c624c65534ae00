from enum import StrEnum


class TagCategory(StrEnum):
    CONTENT = "content"
    DEMOGRAPHIC = "demographic"
    GENRE = "genre"
    THEME = "theme"

    def __str__(self) -> str:
        return str(self.value)
