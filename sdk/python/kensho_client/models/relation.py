from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.relation_kind import RelationKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.anime_summary import AnimeSummary


T = TypeVar("T", bound="Relation")


@_attrs_define
class Relation:
    """A related anime.

    Attributes:
        kind (None | RelationKind | Unset):
        anime (AnimeSummary | None | Unset):
    """

    kind: None | RelationKind | Unset = UNSET
    anime: AnimeSummary | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.anime_summary import AnimeSummary  # noqa: PLC0415

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        elif isinstance(self.kind, RelationKind):
            kind = self.kind.value
        else:
            kind = self.kind

        anime: dict[str, Any] | None | Unset
        if isinstance(self.anime, Unset):
            anime = UNSET
        elif isinstance(self.anime, AnimeSummary):
            anime = self.anime.to_dict()
        else:
            anime = self.anime

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if kind is not UNSET:
            field_dict["kind"] = kind
        if anime is not UNSET:
            field_dict["anime"] = anime

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.anime_summary import AnimeSummary  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_kind(data: object) -> None | RelationKind | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                kind_type_0 = RelationKind(data)

                return kind_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RelationKind | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        def _parse_anime(data: object) -> AnimeSummary | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                anime_type_0 = AnimeSummary.from_dict(data)

                return anime_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AnimeSummary | None | Unset, data)

        anime = _parse_anime(d.pop("anime", UNSET))

        relation = cls(
            kind=kind,
            anime=anime,
        )

        relation.additional_properties = d
        return relation

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
