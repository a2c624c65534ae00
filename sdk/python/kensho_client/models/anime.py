from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.anime_status import AnimeStatus
from ..models.anime_type import AnimeType
from ..models.season import Season
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.crunchyroll_mapping import CrunchyrollMapping
    from ..models.relation import Relation
    from ..models.score_aggregates_json import ScoreAggregatesJson
    from ..models.tag import Tag


T = TypeVar("T", bound="Anime")


@_attrs_define
class Anime:
    """Everything about one anime.

    Attributes:
        id (str):  Example: 54346a98c23760eb.
        title (str):  Example: Cowboy Bebop.
        synonyms (list[str]):  Example: ['Cowboy Bebop TV', 'Bebop'].
        episode_count (int):  Example: 26.
        synopsis (str):
        picture (str):
        thumbnail (str):
        sources (list[str]):  Example: ['https://myanimelist.net/anime/1', 'https://anilist.co/anime/1'].
        studios (list[str]):  Example: ['Sunrise'].
        producers (list[str]):  Example: ['Bandai Visual'].
        tags (list[Tag]):
        relations (list[Relation]):
        popularity (int): How many sources list the title.
        type_ (AnimeType | None | Unset):
        status (AnimeStatus | None | Unset):
        season (None | Season | Unset):
        year (int | None | Unset):  Example: 1998.
        episode_duration_seconds (int | None | Unset):  Example: 1440.
        crunchyroll (CrunchyrollMapping | None | Unset):
        score (float | None | Unset): The score lists sort by (1..10), `null` when the source data has none.
        score_aggregates (None | ScoreAggregatesJson | Unset):
    """

    id: str
    title: str
    synonyms: list[str]
    episode_count: int
    synopsis: str
    picture: str
    thumbnail: str
    sources: list[str]
    studios: list[str]
    producers: list[str]
    tags: list[Tag]
    relations: list[Relation]
    popularity: int
    type_: AnimeType | None | Unset = UNSET
    status: AnimeStatus | None | Unset = UNSET
    season: None | Season | Unset = UNSET
    year: int | None | Unset = UNSET
    episode_duration_seconds: int | None | Unset = UNSET
    crunchyroll: CrunchyrollMapping | None | Unset = UNSET
    score: float | None | Unset = UNSET
    score_aggregates: None | ScoreAggregatesJson | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.crunchyroll_mapping import CrunchyrollMapping  # noqa: PLC0415
        from ..models.score_aggregates_json import ScoreAggregatesJson  # noqa: PLC0415

        id = self.id

        title = self.title

        synonyms = self.synonyms

        episode_count = self.episode_count

        synopsis = self.synopsis

        picture = self.picture

        thumbnail = self.thumbnail

        sources = self.sources

        studios = self.studios

        producers = self.producers

        tags = []
        for tags_item_data in self.tags:
            tags_item = tags_item_data.to_dict()
            tags.append(tags_item)

        relations = []
        for relations_item_data in self.relations:
            relations_item = relations_item_data.to_dict()
            relations.append(relations_item)

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

        episode_duration_seconds: int | None | Unset
        if isinstance(self.episode_duration_seconds, Unset):
            episode_duration_seconds = UNSET
        else:
            episode_duration_seconds = self.episode_duration_seconds

        crunchyroll: dict[str, Any] | None | Unset
        if isinstance(self.crunchyroll, Unset):
            crunchyroll = UNSET
        elif isinstance(self.crunchyroll, CrunchyrollMapping):
            crunchyroll = self.crunchyroll.to_dict()
        else:
            crunchyroll = self.crunchyroll

        score: float | None | Unset
        if isinstance(self.score, Unset):
            score = UNSET
        else:
            score = self.score

        score_aggregates: dict[str, Any] | None | Unset
        if isinstance(self.score_aggregates, Unset):
            score_aggregates = UNSET
        elif isinstance(self.score_aggregates, ScoreAggregatesJson):
            score_aggregates = self.score_aggregates.to_dict()
        else:
            score_aggregates = self.score_aggregates

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "title": title,
                "synonyms": synonyms,
                "episode_count": episode_count,
                "synopsis": synopsis,
                "picture": picture,
                "thumbnail": thumbnail,
                "sources": sources,
                "studios": studios,
                "producers": producers,
                "tags": tags,
                "relations": relations,
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
        if episode_duration_seconds is not UNSET:
            field_dict["episode_duration_seconds"] = episode_duration_seconds
        if crunchyroll is not UNSET:
            field_dict["crunchyroll"] = crunchyroll
        if score is not UNSET:
            field_dict["score"] = score
        if score_aggregates is not UNSET:
            field_dict["score_aggregates"] = score_aggregates

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.crunchyroll_mapping import CrunchyrollMapping  # noqa: PLC0415
        from ..models.relation import Relation  # noqa: PLC0415
        from ..models.score_aggregates_json import ScoreAggregatesJson  # noqa: PLC0415
        from ..models.tag import Tag  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        title = d.pop("title")

        synonyms = cast(list[str], d.pop("synonyms"))

        episode_count = d.pop("episode_count")

        synopsis = d.pop("synopsis")

        picture = d.pop("picture")

        thumbnail = d.pop("thumbnail")

        sources = cast(list[str], d.pop("sources"))

        studios = cast(list[str], d.pop("studios"))

        producers = cast(list[str], d.pop("producers"))

        tags = []
        _tags = d.pop("tags")
        for tags_item_data in _tags:
            tags_item = Tag.from_dict(tags_item_data)

            tags.append(tags_item)

        relations = []
        _relations = d.pop("relations")
        for relations_item_data in _relations:
            relations_item = Relation.from_dict(relations_item_data)

            relations.append(relations_item)

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

        def _parse_episode_duration_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        episode_duration_seconds = _parse_episode_duration_seconds(d.pop("episode_duration_seconds", UNSET))

        def _parse_crunchyroll(data: object) -> CrunchyrollMapping | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                crunchyroll_type_0 = CrunchyrollMapping.from_dict(data)

                return crunchyroll_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CrunchyrollMapping | None | Unset, data)

        crunchyroll = _parse_crunchyroll(d.pop("crunchyroll", UNSET))

        def _parse_score(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        score = _parse_score(d.pop("score", UNSET))

        def _parse_score_aggregates(data: object) -> None | ScoreAggregatesJson | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                score_aggregates_type_0 = ScoreAggregatesJson.from_dict(data)

                return score_aggregates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScoreAggregatesJson | Unset, data)

        score_aggregates = _parse_score_aggregates(d.pop("score_aggregates", UNSET))

        anime = cls(
            id=id,
            title=title,
            synonyms=synonyms,
            episode_count=episode_count,
            synopsis=synopsis,
            picture=picture,
            thumbnail=thumbnail,
            sources=sources,
            studios=studios,
            producers=producers,
            tags=tags,
            relations=relations,
            popularity=popularity,
            type_=type_,
            status=status,
            season=season,
            year=year,
            episode_duration_seconds=episode_duration_seconds,
            crunchyroll=crunchyroll,
            score=score,
            score_aggregates=score_aggregates,
        )

        anime.additional_properties = d
        return anime

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
