from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.anime_status import AnimeStatus
from ...models.anime_type import AnimeType
from ...models.list_response_anime_summary import ListResponseAnimeSummary
from ...models.problem import Problem
from ...models.season import Season
from ...types import UNSET, Response, Unset


def _get_kwargs(
    year: int,
    season: Season,
    *,
    type_: list[AnimeType] | Unset = UNSET,
    status: list[AnimeStatus] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    any_tag: list[str] | Unset = UNSET,
    exclude_tag: list[str] | Unset = UNSET,
    studio: str | Unset = UNSET,
    min_episodes: int | Unset = UNSET,
    max_episodes: int | Unset = UNSET,
    min_score: float | Unset = UNSET,
    sfw: bool | Unset = False,
    continuing: bool | Unset = False,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    fields: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    params: dict[str, Any] = {}

    json_type_: list[str] | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = []
        for type_item_data in type_:
            type_item = type_item_data.value
            json_type_.append(type_item)

    params["type"] = json_type_

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)

    params["status"] = json_status

    json_tag: list[str] | Unset = UNSET
    if not isinstance(tag, Unset):
        json_tag = tag

    params["tag"] = json_tag

    json_any_tag: list[str] | Unset = UNSET
    if not isinstance(any_tag, Unset):
        json_any_tag = any_tag

    params["any_tag"] = json_any_tag

    json_exclude_tag: list[str] | Unset = UNSET
    if not isinstance(exclude_tag, Unset):
        json_exclude_tag = exclude_tag

    params["exclude_tag"] = json_exclude_tag

    params["studio"] = studio

    params["min_episodes"] = min_episodes

    params["max_episodes"] = max_episodes

    params["min_score"] = min_score

    params["sfw"] = sfw

    params["continuing"] = continuing

    params["limit"] = limit

    params["cursor"] = cursor

    params["fields"] = fields

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/browse/season/{year}/{season}".format(
            year=quote(str(year), safe=""),
            season=quote(str(season), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ListResponseAnimeSummary | Problem | None:
    if response.status_code == 200:
        response_200 = ListResponseAnimeSummary.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Problem.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ListResponseAnimeSummary | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    year: int,
    season: Season,
    *,
    client: AuthenticatedClient | Client,
    type_: list[AnimeType] | Unset = UNSET,
    status: list[AnimeStatus] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    any_tag: list[str] | Unset = UNSET,
    exclude_tag: list[str] | Unset = UNSET,
    studio: str | Unset = UNSET,
    min_episodes: int | Unset = UNSET,
    max_episodes: int | Unset = UNSET,
    min_score: float | Unset = UNSET,
    sfw: bool | Unset = False,
    continuing: bool | Unset = False,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    fields: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ListResponseAnimeSummary | Problem]:
    """Anime that started in one season of one year, by title, narrowed by the list filters.

    Args:
        year (int):
        season (Season): A season of the year (parameters take any case).
        type_ (list[AnimeType] | Unset):
        status (list[AnimeStatus] | Unset):
        tag (list[str] | Unset):
        any_tag (list[str] | Unset):
        exclude_tag (list[str] | Unset):
        studio (str | Unset):
        min_episodes (int | Unset):
        max_episodes (int | Unset):
        min_score (float | Unset):
        sfw (bool | Unset):  Default: False.
        continuing (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        fields (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ListResponseAnimeSummary | Problem]
    """

    kwargs = _get_kwargs(
        year=year,
        season=season,
        type_=type_,
        status=status,
        tag=tag,
        any_tag=any_tag,
        exclude_tag=exclude_tag,
        studio=studio,
        min_episodes=min_episodes,
        max_episodes=max_episodes,
        min_score=min_score,
        sfw=sfw,
        continuing=continuing,
        limit=limit,
        cursor=cursor,
        fields=fields,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    year: int,
    season: Season,
    *,
    client: AuthenticatedClient | Client,
    type_: list[AnimeType] | Unset = UNSET,
    status: list[AnimeStatus] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    any_tag: list[str] | Unset = UNSET,
    exclude_tag: list[str] | Unset = UNSET,
    studio: str | Unset = UNSET,
    min_episodes: int | Unset = UNSET,
    max_episodes: int | Unset = UNSET,
    min_score: float | Unset = UNSET,
    sfw: bool | Unset = False,
    continuing: bool | Unset = False,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    fields: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | ListResponseAnimeSummary | Problem | None:
    """Anime that started in one season of one year, by title, narrowed by the list filters.

    Args:
        year (int):
        season (Season): A season of the year (parameters take any case).
        type_ (list[AnimeType] | Unset):
        status (list[AnimeStatus] | Unset):
        tag (list[str] | Unset):
        any_tag (list[str] | Unset):
        exclude_tag (list[str] | Unset):
        studio (str | Unset):
        min_episodes (int | Unset):
        max_episodes (int | Unset):
        min_score (float | Unset):
        sfw (bool | Unset):  Default: False.
        continuing (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        fields (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ListResponseAnimeSummary | Problem
    """

    return sync_detailed(
        year=year,
        season=season,
        client=client,
        type_=type_,
        status=status,
        tag=tag,
        any_tag=any_tag,
        exclude_tag=exclude_tag,
        studio=studio,
        min_episodes=min_episodes,
        max_episodes=max_episodes,
        min_score=min_score,
        sfw=sfw,
        continuing=continuing,
        limit=limit,
        cursor=cursor,
        fields=fields,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    year: int,
    season: Season,
    *,
    client: AuthenticatedClient | Client,
    type_: list[AnimeType] | Unset = UNSET,
    status: list[AnimeStatus] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    any_tag: list[str] | Unset = UNSET,
    exclude_tag: list[str] | Unset = UNSET,
    studio: str | Unset = UNSET,
    min_episodes: int | Unset = UNSET,
    max_episodes: int | Unset = UNSET,
    min_score: float | Unset = UNSET,
    sfw: bool | Unset = False,
    continuing: bool | Unset = False,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    fields: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ListResponseAnimeSummary | Problem]:
    """Anime that started in one season of one year, by title, narrowed by the list filters.

    Args:
        year (int):
        season (Season): A season of the year (parameters take any case).
        type_ (list[AnimeType] | Unset):
        status (list[AnimeStatus] | Unset):
        tag (list[str] | Unset):
        any_tag (list[str] | Unset):
        exclude_tag (list[str] | Unset):
        studio (str | Unset):
        min_episodes (int | Unset):
        max_episodes (int | Unset):
        min_score (float | Unset):
        sfw (bool | Unset):  Default: False.
        continuing (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        fields (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ListResponseAnimeSummary | Problem]
    """

    kwargs = _get_kwargs(
        year=year,
        season=season,
        type_=type_,
        status=status,
        tag=tag,
        any_tag=any_tag,
        exclude_tag=exclude_tag,
        studio=studio,
        min_episodes=min_episodes,
        max_episodes=max_episodes,
        min_score=min_score,
        sfw=sfw,
        continuing=continuing,
        limit=limit,
        cursor=cursor,
        fields=fields,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    year: int,
    season: Season,
    *,
    client: AuthenticatedClient | Client,
    type_: list[AnimeType] | Unset = UNSET,
    status: list[AnimeStatus] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    any_tag: list[str] | Unset = UNSET,
    exclude_tag: list[str] | Unset = UNSET,
    studio: str | Unset = UNSET,
    min_episodes: int | Unset = UNSET,
    max_episodes: int | Unset = UNSET,
    min_score: float | Unset = UNSET,
    sfw: bool | Unset = False,
    continuing: bool | Unset = False,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    fields: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | ListResponseAnimeSummary | Problem | None:
    """Anime that started in one season of one year, by title, narrowed by the list filters.

    Args:
        year (int):
        season (Season): A season of the year (parameters take any case).
        type_ (list[AnimeType] | Unset):
        status (list[AnimeStatus] | Unset):
        tag (list[str] | Unset):
        any_tag (list[str] | Unset):
        exclude_tag (list[str] | Unset):
        studio (str | Unset):
        min_episodes (int | Unset):
        max_episodes (int | Unset):
        min_score (float | Unset):
        sfw (bool | Unset):  Default: False.
        continuing (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 20.
        cursor (str | Unset):
        fields (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ListResponseAnimeSummary | Problem
    """

    return (
        await asyncio_detailed(
            year=year,
            season=season,
            client=client,
            type_=type_,
            status=status,
            tag=tag,
            any_tag=any_tag,
            exclude_tag=exclude_tag,
            studio=studio,
            min_episodes=min_episodes,
            max_episodes=max_episodes,
            min_score=min_score,
            sfw=sfw,
            continuing=continuing,
            limit=limit,
            cursor=cursor,
            fields=fields,
            if_none_match=if_none_match,
        )
    ).parsed
