from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.anime_status import AnimeStatus
from ..models.anime_type import AnimeType
from ..models.season import Season
from ..types import UNSET, Unset

T = TypeVar("T", bound="ListResponseAnimeSummaryDataItem")


@_attrs_define
class ListResponseAnimeSummaryDataItem:
    """The list fields of an anime.

    Attributes:
        id (str):  Example: 54346a98c23760eb.
        title (str):  Example: Cowboy Bebop.
        episode_count (int):  Example: 26.
        picture (str):
        thumbnail (str):
        popularity (int): How many sources list the title.
        type_ (AnimeType | None | Unset):
        status (AnimeStatus | None | Unset):
        season (None | Season | Unset):
        year (int | None | Unset):  Example: 1998.
        score (float | None | Unset): The score lists sort by (1..10), `null` when the source data has none.
    """

    id: str
    title: str
    episode_count: int
    picture: str
    thumbnail: str
    popularity: int
    type_: AnimeType | None | Unset = UNSET
    status: AnimeStatus | None | Unset = UNSET
    season: None | Season | Unset = UNSET
    year: int | None | Unset = UNSET
    score: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        title = self.title

        episode_count = self.episode_count

        picture = self.picture

        thumbnail = self.thumbnail

        popularity = self.popularity

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, AnimeType):
            type_ = self.type_.value
        else:
            type_ = self.type_

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, AnimeStatus):
            status = self.status.value
        else:
            status = self.status

        season: None | str | Unset
        if isinstance(self.season, Unset):
            season = UNSET
        elif isinstance(self.season, Season):
            season = self.season.value
        else:
            season = self.season

        year: int | None | Unset
        if isinstance(self.year, Unset):
            year = UNSET
        else:
            year = self.year

        score: float | None | Unset
        if isinstance(self.score, Unset):
            score = UNSET
        else:
            score = self.score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "title": title,
                "episode_count": episode_count,
                "picture": picture,
                "thumbnail": thumbnail,
                "popularity": popularity,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if status is not UNSET:
            field_dict["status"] = status
        if season is not UNSET:
            field_dict["season"] = season
        if year is not UNSET:
            field_dict["year"] = year
        if score is not UNSET:
            field_dict["score"] = score

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        title = d.pop("title")

        episode_count = d.pop("episode_count")

        picture = d.pop("picture")

        thumbnail = d.pop("thumbnail")

        popularity = d.pop("popularity")

        def _parse_type_(data: object) -> AnimeType | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_0 = AnimeType(data)

                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AnimeType | None | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_status(data: object) -> AnimeStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = AnimeStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AnimeStatus | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

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

        def _parse_year(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        year = _parse_year(d.pop("year", UNSET))

        def _parse_score(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        score = _parse_score(d.pop("score", UNSET))

        list_response_anime_summary_data_item = cls(
            id=id,
            title=title,
            episode_count=episode_count,
            picture=picture,
            thumbnail=thumbnail,
            popularity=popularity,
            type_=type_,
            status=status,
            season=season,
            year=year,
            score=score,
        )

        list_response_anime_summary_data_item.additional_properties = d
        return list_response_anime_summary_data_item

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
