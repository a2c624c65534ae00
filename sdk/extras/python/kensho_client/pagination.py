"""Pages of Kensho's lists: follows ``next_cursor`` until the last page (written by hand and
copied into the generated package by ``cargo xtask sdk``)."""

from collections.abc import Callable, Iterator
from typing import Any

from .models import Problem
from .types import UNSET


class ProblemError(Exception):
    """A list page answered with a problem (RFC 9457) instead of a page."""

    def __init__(self, problem: Problem):
        super().__init__(f"{problem.status} {problem.title}: {problem.detail}")
        self.problem = problem


def pages(fetch: Callable[..., Any], /, **arguments: Any) -> Iterator[Any]:
    """Every page of a list operation, first to last.

    ``fetch`` is an operation's ``sync`` function (``list_tags.sync``, ``list_anime.sync``, ...)
    and ``arguments`` are what it takes besides ``cursor`` (``client=`` and the filters). A
    problem answer raises :class:`ProblemError`.
    """
    cursor: Any = UNSET
    while True:
        page = fetch(**arguments, cursor=cursor)
        if isinstance(page, Problem):
            raise ProblemError(page)
        if page is None:
            raise RuntimeError("the list answered neither a page nor a problem")
        yield page
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def items(fetch: Callable[..., Any], /, **arguments: Any) -> Iterator[Any]:
    """Every item of every page of a list operation (see :func:`pages`)."""
    for page in pages(fetch, **arguments):
        yield from page.data
