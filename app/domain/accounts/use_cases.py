"""The account use cases a running service holds, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.accounts.access import Authenticate
from app.domain.accounts.registration import RegisterUser, UpdateAccount
from app.domain.accounts.registration_checks import CheckRegistration
from app.domain.accounts.sessions import RefreshSession, SignIn, SignOut, StartSession


@dataclass(frozen=True, slots=True)
class AccountUseCases:
    register: RegisterUser
    check_registration: CheckRegistration
    update_account: UpdateAccount
    sign_in: SignIn
    start_session: StartSession
    refresh_session: RefreshSession
    sign_out: SignOut
    authenticate: Authenticate
