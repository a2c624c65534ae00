from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.relation_kind import RelationKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.anime_summary import AnimeSummary


T = TypeVar("T", bound="ListResponseSimilarAnimeDataItem")


@_attrs_define
class ListResponseSimilarAnimeDataItem:
    """An anime like another, and why.

    Attributes:
        score (float): How alike, 0..1: the rarity-weighted overlap of the tags, plus a share for a relation.
        shared_tags (list[str]): The tags both carry, rarest first.
        anime (AnimeSummary | None | Unset):
        relation (None | RelationKind | Unset):
    """

    score: float
    shared_tags: list[str]
    anime: AnimeSummary | None | Unset = UNSET
    relation: None | RelationKind | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.anime_summary import AnimeSummary  # noqa: PLC0415

        score = self.score

        shared_tags = self.shared_tags

        anime: dict[str, Any] | None | Unset
        if isinstance(self.anime, Unset):
            anime = UNSET
        elif isinstance(self.anime, AnimeSummary):
            anime = self.anime.to_dict()
        else:
            anime = self.anime

        relation: None | str | Unset
        if isinstance(self.relation, Unset):
            relation = UNSET
        elif isinstance(self.relation, RelationKind):
            relation = self.relation.value
        else:
            relation = self.relation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "score": score,
                "shared_tags": shared_tags,
            }
        )
        if anime is not UNSET:
            field_dict["anime"] = anime
        if relation is not UNSET:
            field_dict["relation"] = relation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.anime_summary import AnimeSummary  # noqa: PLC0415

        d = dict(src_dict)
        score = d.pop("score")

        shared_tags = cast(list[str], d.pop("shared_tags"))

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

        def _parse_relation(data: object) -> None | RelationKind | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                relation_type_0 = RelationKind(data)

                return relation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RelationKind | Unset, data)

        relation = _parse_relation(d.pop("relation", UNSET))

        list_response_similar_anime_data_item = cls(
            score=score,
            shared_tags=shared_tags,
            anime=anime,
            relation=relation,
        )

        list_response_similar_anime_data_item.additional_properties = d
        return list_response_similar_anime_data_item

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
