"""Other pages about one child, added by apps above the foundation (the case file, the chronology), so that a
child's record links to them without the foundation importing those apps. An app registers a page from its
``AppConfig.ready``; the record page lists them."""

from django.urls import reverse

# (link text, URL name that takes ``child_id``)
CHILD_PAGES: list[tuple[str, str]] = []


def register_child_page(text: str, url_name: str) -> None:
    if all(existing[1] != url_name for existing in CHILD_PAGES):
        CHILD_PAGES.append((text, url_name))


def child_pages(child) -> list[tuple[str, str]]:
    return [(text, reverse(name, kwargs={"child_id": child.pk})) for text, name in CHILD_PAGES]
