from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ScoreAggregatesJson")


@_attrs_define
class ScoreAggregatesJson:
    """The score's aggregates as the source data records them, each `null` when absent.

    Attributes:
        arithmetic_geometric_mean (float | None | Unset):
        arithmetic_mean (float | None | Unset):
        median (float | None | Unset):
    """

    arithmetic_geometric_mean: float | None | Unset = UNSET
    arithmetic_mean: float | None | Unset = UNSET
    median: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        arithmetic_geometric_mean: float | None | Unset
        if isinstance(self.arithmetic_geometric_mean, Unset):
            arithmetic_geometric_mean = UNSET
        else:
            arithmetic_geometric_mean = self.arithmetic_geometric_mean

        arithmetic_mean: float | None | Unset
        if isinstance(self.arithmetic_mean, Unset):
            arithmetic_mean = UNSET
        else:
            arithmetic_mean = self.arithmetic_mean

        median: float | None | Unset
        if isinstance(self.median, Unset):
            median = UNSET
        else:
            median = self.median

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if arithmetic_geometric_mean is not UNSET:
            field_dict["arithmetic_geometric_mean"] = arithmetic_geometric_mean
        if arithmetic_mean is not UNSET:
            field_dict["arithmetic_mean"] = arithmetic_mean
        if median is not UNSET:
            field_dict["median"] = median

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_arithmetic_geometric_mean(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        arithmetic_geometric_mean = _parse_arithmetic_geometric_mean(d.pop("arithmetic_geometric_mean", UNSET))

        def _parse_arithmetic_mean(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        arithmetic_mean = _parse_arithmetic_mean(d.pop("arithmetic_mean", UNSET))

        def _parse_median(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        median = _parse_median(d.pop("median", UNSET))

        score_aggregates_json = cls(
            arithmetic_geometric_mean=arithmetic_geometric_mean,
            arithmetic_mean=arithmetic_mean,
            median=median,
        )

        score_aggregates_json.additional_properties = d
        return score_aggregates_json

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
