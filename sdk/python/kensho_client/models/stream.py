from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.hard_sub import HardSub
    from ..models.stream_request_headers import StreamRequestHeaders
    from ..models.subtitle import Subtitle


T = TypeVar("T", bound="Stream")


@_attrs_define
class Stream:
    """A playable stream.

    Attributes:
        manifest_url (str): The HLS manifest.
        expires_at (datetime.datetime): RFC 3339, UTC. Example: 2024-02-29T23:59:59Z.
        audio_locale (str): The audio language. Example: ja-JP.
        subtitles (list[Subtitle]): Subtitle tracks.
        hard_subs (list[HardSub]): Variants with subtitles burnt in.
        request_headers (StreamRequestHeaders): Headers the player must send with its requests.
        stream_token (str): Pass to `DELETE /api/v1/stream/{token}` to release the stream.
    """

    manifest_url: str
    expires_at: datetime.datetime
    audio_locale: str
    subtitles: list[Subtitle]
    hard_subs: list[HardSub]
    request_headers: StreamRequestHeaders
    stream_token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        manifest_url = self.manifest_url

        expires_at = self.expires_at.isoformat()

        audio_locale = self.audio_locale

        subtitles = []
        for subtitles_item_data in self.subtitles:
            subtitles_item = subtitles_item_data.to_dict()
            subtitles.append(subtitles_item)

        hard_subs = []
        for hard_subs_item_data in self.hard_subs:
            hard_subs_item = hard_subs_item_data.to_dict()
            hard_subs.append(hard_subs_item)

        request_headers = self.request_headers.to_dict()

        stream_token = self.stream_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "manifest_url": manifest_url,
                "expires_at": expires_at,
                "audio_locale": audio_locale,
                "subtitles": subtitles,
                "hard_subs": hard_subs,
                "request_headers": request_headers,
                "stream_token": stream_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.hard_sub import HardSub  # noqa: PLC0415
        from ..models.stream_request_headers import StreamRequestHeaders  # noqa: PLC0415
        from ..models.subtitle import Subtitle  # noqa: PLC0415

        d = dict(src_dict)
        manifest_url = d.pop("manifest_url")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        audio_locale = d.pop("audio_locale")

        subtitles = []
        _subtitles = d.pop("subtitles")
        for subtitles_item_data in _subtitles:
            subtitles_item = Subtitle.from_dict(subtitles_item_data)

            subtitles.append(subtitles_item)

        hard_subs = []
        _hard_subs = d.pop("hard_subs")
        for hard_subs_item_data in _hard_subs:
            hard_subs_item = HardSub.from_dict(hard_subs_item_data)

            hard_subs.append(hard_subs_item)

        request_headers = StreamRequestHeaders.from_dict(d.pop("request_headers"))

        stream_token = d.pop("stream_token")

        stream = cls(
            manifest_url=manifest_url,
            expires_at=expires_at,
            audio_locale=audio_locale,
            subtitles=subtitles,
            hard_subs=hard_subs,
            request_headers=request_headers,
            stream_token=stream_token,
        )

        stream.additional_properties = d
        return stream

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
