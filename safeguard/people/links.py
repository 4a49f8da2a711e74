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


@dataclass(frozen=True)
class RecordNotice:
    """Something a reader of a child's record must see first (a serious incident in the household, a child
    withdrawn from school while known to the service). ``kind`` names it for tests and styling; ``href``,
    if any, is where the detail is (and that page decides again who may see it)."""

    kind: str
    text: str
    href: str = ""


# provider(child, user, today) -> the notices ``user`` may see on ``child``'s record. A provider decides itself
# who may see its notice: the record's own access check has already let ``user`` open the record.
RECORD_NOTICES: list[Callable] = []


def register_record_notice(provider: Callable) -> None:
    if provider not in RECORD_NOTICES:
        RECORD_NOTICES.append(provider)


def record_notices(child, user, today) -> list[RecordNotice]:
    return [notice for provider in RECORD_NOTICES for notice in provider(child, user, today)]
