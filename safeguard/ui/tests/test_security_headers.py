"""The headers every page carries (docs/security.md, web hardening)."""

from django.urls import reverse


def test_every_page_forbids_caching_framing_and_powerful_browser_features(db, client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    assert "publickey-credentials-get=(self)" in policy  # security keys still work for signing in
