from allauth.account import views as account_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as webauthn_views
from allauth.usersessions import views as usersessions_views
from django.urls import path

from safeguard.ui import views
from safeguard.ui.accounts import declared

SIGNED_IN = "signed-in users: their own account and second factors only"

# django-allauth's views, under Safeguard's own addresses and allauth's URL names (allauth reverses them).
# Only what a council's staff use: no sign-up, no email management, no password reset by email (an
# administrator resets a password), no passkey sign-in without a password.
account_urls = [
    path("sign-in/", declared(account_views.login, "anyone: the sign-in page"), name="account_login"),
    path("sign-out/", declared(account_views.logout, SIGNED_IN), name="account_logout"),
    path(
        "sign-in/account-disabled/",
        declared(account_views.account_inactive, "anyone: says the account is disabled"),
        name="account_inactive",
    ),
    path(
        "sign-in/two-factor/",
        declared(mfa_views.authenticate, "anyone part-way through signing in: the second factor"),
        name="mfa_authenticate",
    ),
    path(
        "account/confirm/",
        declared(account_views.reauthenticate, SIGNED_IN),
        name="account_reauthenticate",
    ),
    path(
        "account/confirm/two-factor/",
        declared(mfa_views.reauthenticate, SIGNED_IN),
        name="mfa_reauthenticate",
    ),
    path(
        "account/password/",
        declared(account_views.password_change, SIGNED_IN),
        name="account_change_password",
    ),
    path("account/security/", declared(mfa_views.index, SIGNED_IN), name="mfa_index"),
    path(
        "account/security/authenticator-app/",
        declared(totp_views.activate_totp, SIGNED_IN),
        name="mfa_activate_totp",
    ),
    path(
        "account/security/authenticator-app/remove/",
        declared(totp_views.deactivate_totp, SIGNED_IN),
        name="mfa_deactivate_totp",
    ),
    path(
        "account/security/recovery-codes/",
        declared(recovery_views.view_recovery_codes, SIGNED_IN),
        name="mfa_view_recovery_codes",
    ),
    path(
        "account/security/recovery-codes/new/",
        declared(recovery_views.generate_recovery_codes, SIGNED_IN),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "account/security/recovery-codes/download/",
        declared(recovery_views.download_recovery_codes, SIGNED_IN),
        name="mfa_download_recovery_codes",
    ),
    path(
        "account/security/keys/",
        declared(webauthn_views.list_webauthn, SIGNED_IN),
        name="mfa_list_webauthn",
    ),
    path(
        "account/security/keys/add/",
        declared(webauthn_views.add_webauthn, SIGNED_IN),
        name="mfa_add_webauthn",
    ),
    path(
        "account/confirm/security-key/",
        declared(webauthn_views.reauthenticate_webauthn, SIGNED_IN),
        name="mfa_reauthenticate_webauthn",
    ),
    path(
        "account/security/keys/<int:pk>/remove/",
        declared(webauthn_views.remove_webauthn, SIGNED_IN),
        name="mfa_remove_webauthn",
    ),
    path(
        "account/security/keys/<int:pk>/rename/",
        declared(webauthn_views.edit_webauthn, SIGNED_IN),
        name="mfa_edit_webauthn",
    ),
    path(
        "account/sessions/",
        declared(usersessions_views.list_usersessions, SIGNED_IN),
        name="usersessions_list",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    *account_urls,
]
