"""Contains all the data models used in inputs/outputs"""

from .anime import Anime
from .anime_status import AnimeStatus
from .anime_summary import AnimeSummary
from .anime_type import AnimeType
from .batch_entry import BatchEntry
from .batch_request import BatchRequest
from .batch_status import BatchStatus
from .check_result import CheckResult
from .check_status import CheckStatus
from .crunchyroll_mapping import CrunchyrollMapping
from .episode import Episode
from .field_error import FieldError
from .hard_sub import HardSub
from .health_report import HealthReport
from .jwks_response_200 import JwksResponse200
from .list_response_anime_summary import ListResponseAnimeSummary
from .list_response_anime_summary_data_item import ListResponseAnimeSummaryDataItem
from .list_response_batch_entry import ListResponseBatchEntry
from .list_response_batch_entry_data_item import ListResponseBatchEntryDataItem
from .list_response_episode import ListResponseEpisode
from .list_response_episode_data_item import ListResponseEpisodeDataItem
from .list_response_search_hit import ListResponseSearchHit
from .list_response_search_hit_data_item import ListResponseSearchHitDataItem
from .list_response_season_count import ListResponseSeasonCount
from .list_response_season_count_data_item import ListResponseSeasonCountDataItem
from .list_response_similar_anime import ListResponseSimilarAnime
from .list_response_similar_anime_data_item import ListResponseSimilarAnimeDataItem
from .list_response_tag_count import ListResponseTagCount
from .list_response_tag_count_data_item import ListResponseTagCountDataItem
from .login_request import LoginRequest
from .match_kind import MatchKind
from .me import Me
from .problem import Problem
from .process_status import ProcessStatus
from .refresh_token_request import RefreshTokenRequest
from .relation import Relation
from .relation_kind import RelationKind
from .score_aggregates_json import ScoreAggregatesJson
from .search_hit import SearchHit
from .season import Season
from .season_count import SeasonCount
from .similar_anime import SimilarAnime
from .stream import Stream
from .stream_request_headers import StreamRequestHeaders
from .subtitle import Subtitle
from .tag import Tag
from .tag_category import TagCategory
from .tag_count import TagCount
from .token_response import TokenResponse

__all__ = (
    "Anime",
    "AnimeStatus",
    "AnimeSummary",
    "AnimeType",
    "BatchEntry",
    "BatchRequest",
    "BatchStatus",
    "CheckResult",
    "CheckStatus",
    "CrunchyrollMapping",
    "Episode",
    "FieldError",
    "HardSub",
    "HealthReport",
    "JwksResponse200",
    "ListResponseAnimeSummary",
    "ListResponseAnimeSummaryDataItem",
    "ListResponseBatchEntry",
    "ListResponseBatchEntryDataItem",
    "ListResponseEpisode",
    "ListResponseEpisodeDataItem",
    "ListResponseSearchHit",
    "ListResponseSearchHitDataItem",
    "ListResponseSeasonCount",
    "ListResponseSeasonCountDataItem",
    "ListResponseSimilarAnime",
    "ListResponseSimilarAnimeDataItem",
    "ListResponseTagCount",
    "ListResponseTagCountDataItem",
    "LoginRequest",
    "MatchKind",
    "Me",
    "Problem",
    "ProcessStatus",
    "RefreshTokenRequest",
    "Relation",
    "RelationKind",
    "ScoreAggregatesJson",
    "SearchHit",
    "Season",
    "SeasonCount",
    "SimilarAnime",
    "Stream",
    "StreamRequestHeaders",
    "Subtitle",
    "Tag",
    "TagCategory",
    "TagCount",
    "TokenResponse",
)
