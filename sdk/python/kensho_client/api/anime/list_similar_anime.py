from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_response_similar_anime import ListResponseSimilarAnime
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    limit: int | Unset = 20,
    include_franchise: bool | Unset = False,
    fields: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["include_franchise"] = include_franchise

    params["fields"] = fields

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/anime/{id}/similar".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ListResponseSimilarAnime | Problem | None:
    if response.status_code == 200:
        response_200 = ListResponseSimilarAnime.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ListResponseSimilarAnime | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    include_franchise: bool | Unset = False,
    fields: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ListResponseSimilarAnime | Problem]:
    """Anime like this one, most alike first: by the tags they share (a rare tag counts more than a
    common one) and by a direct relation; the same franchise is left out unless asked for.

    Args:
        id (str):
        limit (int | Unset):  Default: 20.
        include_franchise (bool | Unset):  Default: False.
        fields (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ListResponseSimilarAnime | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        limit=limit,
        include_franchise=include_franchise,
        fields=fields,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    include_franchise: bool | Unset = False,
    fields: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | ListResponseSimilarAnime | Problem | None:
    """Anime like this one, most alike first: by the tags they share (a rare tag counts more than a
    common one) and by a direct relation; the same franchise is left out unless asked for.

    Args:
        id (str):
        limit (int | Unset):  Default: 20.
        include_franchise (bool | Unset):  Default: False.
        fields (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ListResponseSimilarAnime | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        limit=limit,
        include_franchise=include_franchise,
        fields=fields,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    include_franchise: bool | Unset = False,
    fields: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ListResponseSimilarAnime | Problem]:
    """Anime like this one, most alike first: by the tags they share (a rare tag counts more than a
    common one) and by a direct relation; the same franchise is left out unless asked for.

    Args:
        id (str):
        limit (int | Unset):  Default: 20.
        include_franchise (bool | Unset):  Default: False.
        fields (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ListResponseSimilarAnime | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        limit=limit,
        include_franchise=include_franchise,
        fields=fields,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    include_franchise: bool | Unset = False,
    fields: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | ListResponseSimilarAnime | Problem | None:
    """Anime like this one, most alike first: by the tags they share (a rare tag counts more than a
    common one) and by a direct relation; the same franchise is left out unless asked for.

    Args:
        id (str):
        limit (int | Unset):  Default: 20.
        include_franchise (bool | Unset):  Default: False.
        fields (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ListResponseSimilarAnime | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            limit=limit,
            include_franchise=include_franchise,
            fields=fields,
            if_none_match=if_none_match,
        )
    ).parsed
