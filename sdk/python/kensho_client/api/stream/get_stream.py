from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.stream import Stream
from ...types import UNSET, Response, Unset


def _get_kwargs(
    anime_id: str,
    episode: int,
    *,
    fields: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["fields"] = fields

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/stream/{anime_id}/{episode}".format(
            anime_id=quote(str(anime_id), safe=""),
            episode=quote(str(episode), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Stream | None:
    if response.status_code == 200:
        response_200 = Stream.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Stream]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    anime_id: str,
    episode: int,
    *,
    client: AuthenticatedClient,
    fields: str | Unset = UNSET,
) -> Response[Problem | Stream]:
    """A playable stream of one episode for the caller.

    Args:
        anime_id (str):
        episode (int):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Stream]
    """

    kwargs = _get_kwargs(
        anime_id=anime_id,
        episode=episode,
        fields=fields,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    anime_id: str,
    episode: int,
    *,
    client: AuthenticatedClient,
    fields: str | Unset = UNSET,
) -> Problem | Stream | None:
    """A playable stream of one episode for the caller.

    Args:
        anime_id (str):
        episode (int):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Stream
    """

    return sync_detailed(
        anime_id=anime_id,
        episode=episode,
        client=client,
        fields=fields,
    ).parsed


async def asyncio_detailed(
    anime_id: str,
    episode: int,
    *,
    client: AuthenticatedClient,
    fields: str | Unset = UNSET,
) -> Response[Problem | Stream]:
    """A playable stream of one episode for the caller.

    Args:
        anime_id (str):
        episode (int):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Stream]
    """

    kwargs = _get_kwargs(
        anime_id=anime_id,
        episode=episode,
        fields=fields,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    anime_id: str,
    episode: int,
    *,
    client: AuthenticatedClient,
    fields: str | Unset = UNSET,
) -> Problem | Stream | None:
    """A playable stream of one episode for the caller.

    Args:
        anime_id (str):
        episode (int):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Stream
    """

    return (
        await asyncio_detailed(
            anime_id=anime_id,
            episode=episode,
            client=client,
            fields=fields,
        )
    ).parsed
