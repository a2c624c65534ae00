from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_error import FieldError


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """An RFC 9457 problem document, as every error response carries it.

    Attributes:
        type_ (str): A URI naming the kind of problem (`https://kensho.dev/problems/<slug>`). Example:
            https://kensho.dev/problems/invalid-argument.
        title (str): A short summary of the kind of problem. Example: Invalid request.
        status (int): The HTTP status. Example: 400.
        detail (str): What happened to this request. Example: the request has invalid fields.
        instance (str): The request path. Example: /api/v1/search.
        trace_id (str): The request's trace id (the client's own when it sent a `traceparent`). Example:
            4bf92f3577b34da6a3ce929d0e0e4736.
        errors (list[FieldError] | Unset): Every invalid field, for validation failures.
        active_streams (int | Unset): Streams the account has open, when its stream limit was hit.
    """

    type_: str
    title: str
    status: int
    detail: str
    instance: str
    trace_id: str
    errors: list[FieldError] | Unset = UNSET
    active_streams: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        status = self.status

        detail = self.detail

        instance = self.instance

        trace_id = self.trace_id

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        active_streams = self.active_streams

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "status": status,
                "detail": detail,
                "instance": instance,
                "trace_id": trace_id,
            }
        )
        if errors is not UNSET:
            field_dict["errors"] = errors
        if active_streams is not UNSET:
            field_dict["active_streams"] = active_streams

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_error import FieldError  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        detail = d.pop("detail")

        instance = d.pop("instance")

        trace_id = d.pop("trace_id")

        _errors = d.pop("errors", UNSET)
        errors: list[FieldError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldError.from_dict(errors_item_data)

                errors.append(errors_item)

        active_streams = d.pop("active_streams", UNSET)

        problem = cls(
            type_=type_,
            title=title,
            status=status,
            detail=detail,
            instance=instance,
            trace_id=trace_id,
            errors=errors,
            active_streams=active_streams,
        )

        problem.additional_properties = d
        return problem

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
