from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.season import Season
from ..types import UNSET, Unset

T = TypeVar("T", bound="SeasonCount")


@_attrs_define
class SeasonCount:
    """How many anime started in one season of one year.

    Attributes:
        year (int):  Example: 1998.
        anime_count (int):
        season (None | Season | Unset):
    """

    year: int
    anime_count: int
    season: None | Season | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        year = self.year

        anime_count = self.anime_count

        season: None | str | Unset
        if isinstance(self.season, Unset):
            season = UNSET
        elif isinstance(self.season, Season):
            season = self.season.value
        else:
            season = self.season

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "year": year,
                "anime_count": anime_count,
            }
        )
        if season is not UNSET:
            field_dict["season"] = season

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        year = d.pop("year")

        anime_count = d.pop("anime_count")

        def _parse_season(data: object) -> None | Season | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                season_type_0 = Season(data)

                return season_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Season | Unset, data)

        season = _parse_season(d.pop("season", UNSET))

        season_count = cls(
            year=year,
            anime_count=anime_count,
            season=season,
        )

        season_count.additional_properties = d
        return season_count

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
