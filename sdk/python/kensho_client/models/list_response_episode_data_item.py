from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ListResponseEpisodeDataItem")


@_attrs_define
class ListResponseEpisodeDataItem:
    """One episode.

    Attributes:
        number (int):
        title (str):
        synopsis (str):
        thumbnail (str):
        duration_seconds (int | None | Unset):
        air_date (None | str | Unset):
        crunchyroll_episode_id (None | str | Unset):
    """

    number: int
    title: str
    synopsis: str
    thumbnail: str
    duration_seconds: int | None | Unset = UNSET
    air_date: None | str | Unset = UNSET
    crunchyroll_episode_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        title = self.title

        synopsis = self.synopsis

        thumbnail = self.thumbnail

        duration_seconds: int | None | Unset
        if isinstance(self.duration_seconds, Unset):
            duration_seconds = UNSET
        else:
            duration_seconds = self.duration_seconds

        air_date: None | str | Unset
        if isinstance(self.air_date, Unset):
            air_date = UNSET
        else:
            air_date = self.air_date

        crunchyroll_episode_id: None | str | Unset
        if isinstance(self.crunchyroll_episode_id, Unset):
            crunchyroll_episode_id = UNSET
        else:
            crunchyroll_episode_id = self.crunchyroll_episode_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "title": title,
                "synopsis": synopsis,
                "thumbnail": thumbnail,
            }
        )
        if duration_seconds is not UNSET:
            field_dict["duration_seconds"] = duration_seconds
        if air_date is not UNSET:
            field_dict["air_date"] = air_date
        if crunchyroll_episode_id is not UNSET:
            field_dict["crunchyroll_episode_id"] = crunchyroll_episode_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        title = d.pop("title")

        synopsis = d.pop("synopsis")

        thumbnail = d.pop("thumbnail")

        def _parse_duration_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        duration_seconds = _parse_duration_seconds(d.pop("duration_seconds", UNSET))

        def _parse_air_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        air_date = _parse_air_date(d.pop("air_date", UNSET))

        def _parse_crunchyroll_episode_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        crunchyroll_episode_id = _parse_crunchyroll_episode_id(d.pop("crunchyroll_episode_id", UNSET))

        list_response_episode_data_item = cls(
            number=number,
            title=title,
            synopsis=synopsis,
            thumbnail=thumbnail,
            duration_seconds=duration_seconds,
            air_date=air_date,
            crunchyroll_episode_id=crunchyroll_episode_id,
        )

        list_response_episode_data_item.additional_properties = d
        return list_response_episode_data_item

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
