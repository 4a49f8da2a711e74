"""Child searches kept in the session, so that search terms never travel in a URL.

Search terms are personal data (DOMAIN.md §7, ASVS 5.0 V14.2): a search form is posted, its fields kept in
the session under a random key, and the results pages (and their pagination) carry only that key. Used by
"Find a child" and by the front door's "Record a contact".
"""

import secrets

from django.http import QueryDict

from safeguard.people.forms import ChildSearchForm

SEARCHES_KEPT = 10
SESSION_KEY = "child_searches"


def remember_search(request) -> str:
    """Keep the posted search form's fields; returns the key for the results page's ``?results=``."""
    fields = {name: request.POST.getlist(name) for name in request.POST if name != "csrfmiddlewaretoken"}
    searches = request.session.get(SESSION_KEY, {})
    key = secrets.token_urlsafe(8)
    searches[key] = fields
    request.session[SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return key


def kept_search_form(request) -> ChildSearchForm | None:
    """The bound, validated search form for ``?results=<key>``, or None when there is no such search."""
    kept = request.session.get(SESSION_KEY, {}).get(request.GET.get("results", ""))
    if kept is None:
        return None
    query = QueryDict(mutable=True)
    for name, values in kept.items():
        query.setlist(name, values)
    form = ChildSearchForm(query)
    form.is_valid()
    return form
