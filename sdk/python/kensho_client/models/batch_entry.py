from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_status import BatchStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.anime import Anime


T = TypeVar("T", bound="BatchEntry")


@_attrs_define
class BatchEntry:
    """One entry of a batch lookup.

    Attributes:
        id (str):
        status (BatchStatus): Whether a batch entry names a stored anime.
        anime (Anime | None | Unset):
    """

    id: str
    status: BatchStatus
    anime: Anime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.anime import Anime  # noqa: PLC0415

        id = self.id

        status = self.status.value

        anime: dict[str, Any] | None | Unset
        if isinstance(self.anime, Unset):
            anime = UNSET
        elif isinstance(self.anime, Anime):
            anime = self.anime.to_dict()
        else:
            anime = self.anime

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )
        if anime is not UNSET:
            field_dict["anime"] = anime

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.anime import Anime  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = BatchStatus(d.pop("status"))

        def _parse_anime(data: object) -> Anime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                anime_type_0 = Anime.from_dict(data)

                return anime_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Anime | None | Unset, data)

        anime = _parse_anime(d.pop("anime", UNSET))

        batch_entry = cls(
            id=id,
            status=status,
            anime=anime,
        )

        batch_entry.additional_properties = d
        return batch_entry

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
