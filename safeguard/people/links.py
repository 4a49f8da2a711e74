"""Other pages about one child, added by apps above the foundation (the case file, the chronology), so that a
child's record links to them without the foundation importing those apps. An app registers a page from its
``AppConfig.ready``; the record page lists them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class ChildPage:
    text: str
    url_name: str  # takes ``child_id``
    # Who is offered the link, beyond being able to open the record (e.g. only managers see who has looked at
    # it); None offers it to everyone who can open the record. The page itself still decides.
    visible_to: Callable | None = None


CHILD_PAGES: list[ChildPage] = []


def register_child_page(text: str, url_name: str, *, visible_to: Callable | None = None) -> None:
    if all(existing.url_name != url_name for existing in CHILD_PAGES):
        CHILD_PAGES.append(ChildPage(text, url_name, visible_to))


def child_pages(child, user) -> list[tuple[str, str]]:
    """(text, address) of each registered page ``user`` is offered for ``child``."""
    return [
        (page.text, reverse(page.url_name, kwargs={"child_id": child.pk}))
        for page in CHILD_PAGES
        if page.visible_to is None or page.visible_to(user)
    ]
