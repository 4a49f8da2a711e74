"""Sessions end after 30 minutes without a request, and 8 hours after sign-in however busy (ASVS 5.0 V7.3)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

NINE = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def minutes(n: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def test_a_request_within_30_minutes_keeps_the_session(people, client_for):
    with at(NINE):
        client = client_for(people.social_worker)
        assert client.get(reverse("home")).status_code == 200
    with at(NINE + minutes(29)):
        assert client.get(reverse("home")).status_code == 200
    with at(NINE + minutes(58)):  # 29 minutes after the last request
        assert client.get(reverse("home")).status_code == 200


def test_30_minutes_without_a_request_signs_out(people, client_for):
    with at(NINE):
        client = client_for(people.social_worker)
        assert client.get(reverse("home")).status_code == 200
    with at(NINE + minutes(31)):
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
        page = client.get(response["Location"])
        assert "signed out after 30 minutes without activity" in page.content.decode()
        assert client.get(reverse("home")).status_code == 302  # the session has gone


def test_8_hours_after_sign_in_signs_out_however_busy(people, client_for):
    with at(NINE):
        client = client_for(people.social_worker)
        assert client.get(reverse("home")).status_code == 200
    for step in range(1, 24):  # a request every 20 minutes, to 16:40
        with at(NINE + minutes(20 * step)):
            assert client.get(reverse("home")).status_code == 200
    with at(NINE + datetime.timedelta(hours=8, minutes=1)):  # 21 minutes after the last request
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
        assert "signed out at the end of your session" in client.get(response["Location"]).content.decode()
