from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.match_kind import MatchKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.anime_summary import AnimeSummary


T = TypeVar("T", bound="SearchHit")


@_attrs_define
class SearchHit:
    """One search result.

    Attributes:
        matched (str):
        score (float):
        anime (AnimeSummary | None | Unset):
        match_kind (MatchKind | None | Unset):
    """

    matched: str
    score: float
    anime: AnimeSummary | None | Unset = UNSET
    match_kind: MatchKind | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.anime_summary import AnimeSummary  # noqa: PLC0415

        matched = self.matched

        score = self.score

        anime: dict[str, Any] | None | Unset
        if isinstance(self.anime, Unset):
            anime = UNSET
        elif isinstance(self.anime, AnimeSummary):
            anime = self.anime.to_dict()
        else:
            anime = self.anime

        match_kind: None | str | Unset
        if isinstance(self.match_kind, Unset):
            match_kind = UNSET
        elif isinstance(self.match_kind, MatchKind):
            match_kind = self.match_kind.value
        else:
            match_kind = self.match_kind

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "matched": matched,
                "score": score,
            }
        )
        if anime is not UNSET:
            field_dict["anime"] = anime
        if match_kind is not UNSET:
            field_dict["match_kind"] = match_kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.anime_summary import AnimeSummary  # noqa: PLC0415

        d = dict(src_dict)
        matched = d.pop("matched")

        score = d.pop("score")

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

        def _parse_match_kind(data: object) -> MatchKind | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                match_kind_type_0 = MatchKind(data)

                return match_kind_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MatchKind | None | Unset, data)

        match_kind = _parse_match_kind(d.pop("match_kind", UNSET))

        search_hit = cls(
            matched=matched,
            score=score,
            anime=anime,
            match_kind=match_kind,
        )

        search_hit.additional_properties = d
        return search_hit

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
