"""`leye-yiyang accounts create|list|revoke`: how the first administrator account is made, and how
an operator manages tokens without the API. The token is printed once, never stored in clear."""

from __future__ import annotations

import argparse
import sys

from leye_yiyang.accounts import schemas as s
from leye_yiyang.accounts import service
from leye_yiyang.accounts.policy import Role
from leye_yiyang.db import Database
from leye_yiyang.errors import DomainError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    accounts = sub.add_parser("accounts", help="accounts and their bearer tokens").add_subparsers(
        dest="action", required=True
    )
    create = accounts.add_parser("create", help="create an account and print its first token once")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", required=True)
    create.add_argument("--area", help="social_worker: subdistrict/town code")
    create.add_argument("--organisation", help="social_worker: organisation")
    create.add_argument("--facility", type=int, help="provider_staff: facility id")
    create.add_argument("--days", type=int, default=90, help="token lifetime (default 90)")
    accounts.add_parser("list", help="accounts and their tokens (never the secrets)")
    revoke = accounts.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("token_id", type=int)


def run(database_url: str, args: argparse.Namespace) -> int:
    db = Database(database_url)
    try:
        with db.transaction() as session:
            if args.action == "create":
                rec = s.AccountIn(
                    name=args.name,
                    role=Role(args.role),
                    area_code=args.area,
                    organisation=args.organisation,
                    facility_id=args.facility,
                    days=args.days,
                )
                issued = service.create_account(session, rec, service.now())
                print(
                    f"account {issued.account.id} ({issued.account.role.value}) {issued.account.name}"
                )
                print(f"token {issued.token_id}, expires {issued.expires_at:%Y-%m-%d %H:%M} UTC")
                print("Bearer token (shown once, store it now):")
                print(issued.token)
            elif args.action == "list":
                _print_accounts(service.list_accounts(session))
            else:
                token = service.revoke_token(session, args.token_id, service.now())
                print(
                    f"token {token.id} of account {token.account_id} revoked at {token.revoked_at}"
                )
    except DomainError as exc:
        print(f"leye-yiyang: {exc.code}: {exc.zh} / {exc.en}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    return 0


def _print_accounts(accounts: list[s.AccountOut]) -> None:
    for a in accounts:
        scope = (
            a.area_code or a.organisation or (f"facility {a.facility_id}" if a.facility_id else "")
        )
        print(f"{a.id}\t{a.role.value}\t{a.name}\t{scope}")
        for t in a.tokens:
            state = "revoked" if t.revoked_at else f"expires {t.expires_at:%Y-%m-%d}"
            used = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
            print(f"\ttoken {t.id}\t{state}\t{used}")
