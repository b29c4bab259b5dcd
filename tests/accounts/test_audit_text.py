"""accounts/audit_text.py: every recorded action as a sentence (no database), and the audit
log page showing them with the campaign's currency."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.audit_text import SENTENCES, Entry, describe
from campaigns.services import partnership_update
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "campaigns", "influencers", "metrics", "reports", "content", "payouts", "portal")
ACTION = re.compile(r"^[a-z_]+\.[a-z_]+$")


@pytest.mark.parametrize(
    ("entry", "sentence"),
    [
        (Entry("Maya", "compensation.changed", "Partnership", "Tess × Spring glow",
               {"fee": ["500.00", "650.00"]}, "USD"),
         "Maya changed Tess's fee from 500.00 to 650.00 USD in Spring glow."),
        (Entry("Maya", "compensation.changed", "Partnership", "Tess × Spring glow",
               {"fee": ["500.00", "650.00"], "commission_rate": ["10.00", "12.50"]}, "EUR"),
         "Maya changed Tess's fee from 500.00 to 650.00 EUR and commission rate from 10.00% "
         "to 12.50% in Spring glow."),
        (Entry("Maya", "compensation.set", "Partnership", "Jules × Fall",
               {"fee": [None, "300.00"]}, "USD"),
         "Maya set Jules's fee to 300.00 USD in Fall."),
        (Entry("Ana", "organization.updated", "Organization", "Acme",
               {"time_zone": ["UTC", "Europe/Paris"], "require_two_factor": [False, True]}),
         "Ana changed the organization's time zone from UTC to Europe/Paris and two-factor "
         "requirement from off to on."),
        (Entry("Ana", "member.role_changed", "Membership", "",
               {"role": ["viewer", "admin"], "user": "bob"}),
         "Ana changed bob's role from viewer to admin."),
        (Entry("Ana", "member.added", "Membership", "", {"user": "bob", "role": [None, "manager"]}),
         "Ana added bob as manager."),
        (Entry("Ana", "member.removed", "Membership", "",
               {"user": "bob", "role": ["manager", None], "api_keys_revoked": 2}),
         "Ana removed bob (manager) and revoked their 2 API keys."),
        (Entry("Ana", "member.invited", "Invitation", "", {"email": "x@y.io", "role": "viewer"}),
         "Ana invited x@y.io as viewer."),
        (Entry("Ana", "member.invitation_revoked", "Invitation", "",
               {"email": "x@y.io", "role": "viewer"}),
         "Ana revoked the invitation of x@y.io as viewer."),
        (Entry("", "member.joined", "Membership", "", {"user": "bob", "role": [None, "viewer"]}),
         "Bob joined as viewer through an invitation."),
        (Entry("Ana", "api_key.created", "ApiKey", "",
               {"name": "Zapier", "role": "manager", "belongs_to": "ana"}),
         "Ana created the API key “Zapier” (manager) for ana."),
        (Entry("Ana", "api_key.revoked", "ApiKey", "", {"name": "Zapier"}),
         "Ana revoked the API key “Zapier”."),
        (Entry("Ana", "brand.deleted", "Brand", "Glow", {"name": "Glow"}),
         "Ana deleted the brand Glow."),
        (Entry("Ana", "campaign.deleted", "Campaign", "Fall", {"name": "Fall"}),
         "Ana deleted the campaign Fall."),
        (Entry("Ana", "cost.created", "Cost", "Ad spend 100.00",
               {"amount": [None, "100.00"], "category": [None, "ad_spend"]}, "USD"),
         "Ana added a cost: ad spend of 100.00 USD."),
        (Entry("Ana", "cost.changed", "Cost", "Ad spend 150.00",
               {"amount": ["100.00", "150.00"]}, "USD"),
         "Ana changed the cost Ad spend 150.00: amount from 100.00 to 150.00 USD."),
        (Entry("Ana", "cost.deleted", "Cost", "Ad spend 100.00",
               {"amount": ["100.00", None], "category": ["ad_spend", None]}),
         "Ana deleted a cost: ad spend of 100.00."),
        (Entry("Maya", "comment.label_corrected", "Comment", "My skin…",
               {"sentiment": ["negative", "positive"], "source": ["machine", "manual"],
                "creator": "Tess"}),
         "Maya relabelled a comment on Tess's post from negative to positive."),
        (Entry("Maya", "comment.label_corrected", "Comment", "My skin…",
               {"sentiment": ["positive", "negative"], "source": ["manual", "machine"]}),
         "Maya gave the label of a comment back to the model (negative)."),
        (Entry("API key fb_ab…", "widget.frobbed", "Widget", "W1", {"size": [1, 2]}),
         "API key fb_ab… frobbed widget W1: size from 1 to 2."),
    ],
)
def test_each_action_reads_as_a_sentence(entry: Entry, sentence: str) -> None:
    assert describe(entry) == sentence


def _values(node: ast.AST) -> list[ast.AST]:
    """The expressions ``node`` may evaluate to: both sides of a conditional, else itself."""
    if isinstance(node, ast.IfExp):
        return [*_values(node.body), *_values(node.orelse)]
    if isinstance(node, ast.BoolOp):
        return [value for operand in node.values for value in _values(operand)]
    return [node]


def _actions_in(node: ast.AST) -> set[str]:
    return {
        n.value for n in _values(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and ACTION.match(n.value)
    }


def _argument(call: ast.Call, position: int | None, name: str) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position is not None and position < len(call.args):
        return call.args[position]
    return None


def _recorded_actions(path: Path) -> tuple[set[str], list[str]]:
    """The actions ``path`` passes to ``audit_record`` or ``audit_entry``: written in the call
    (or in a conditional there), or handed to the function that makes the call, by its callers
    (``_move(line, amount, "payout.commission_changed")``). Also what could not be resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    unresolved: list[str] = []
    relays: dict[str, tuple[int | None, str]] = {}  # function → the parameter it records
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        keyword_only = [a.arg for a in function.args.kwonlyargs]
        for call in ast.walk(function):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id in ("audit_record", "audit_entry")):
                continue
            action = _argument(call, None, "action")
            if action is None:
                unresolved.append(f"{path}:{call.lineno}")
                continue
            found |= _actions_in(action)
            for value in _values(action):
                if isinstance(value, ast.Constant) and ACTION.match(str(value.value)):
                    continue
                name = value.id if isinstance(value, ast.Name) else ast.unparse(value)
                if name in positional:
                    relays[function.name] = (positional.index(name), name)
                elif name in keyword_only:
                    relays[function.name] = (None, name)
                else:
                    unresolved.append(f"{path}:{call.lineno} ({name})")
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) \
                and call.func.id in relays:
            argument = _argument(call, *relays[call.func.id])
            actions = _actions_in(argument) if argument is not None else set()
            if not actions:
                unresolved.append(f"{path}:{call.lineno} ({call.func.id})")
            found |= actions
    return found, unresolved


def test_every_recorded_action_has_its_own_sentence() -> None:
    recorded: set[str] = set()
    unresolved: list[str] = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                actions, unknown = _recorded_actions(path)
                recorded |= actions
                unresolved += unknown
    assert not unresolved, f"audit_record actions this test cannot read: {unresolved}"
    # The scan reaches the actions handed through a helper and a conditional.
    assert {"payout.commission_changed", "payout.product_changed", "digest_schedule.changed",
            "digest_recipient.unsubscribed", "member.role_changed"} <= recorded
    assert recorded - set(SENTENCES) == set(), "actions without a sentence"


@pytest.mark.django_db
def test_the_audit_log_page_speaks_in_sentences_with_the_currency(team, client_for):
    team.admin.first_name = "Maya"
    team.admin.save()
    partnership = f.PartnershipFactory(
        campaign__brand__organization=team.organization, campaign__currency="EUR",
        influencer__name="Tess", fee=Decimal("500.00"),
    )
    partnership_update(access=team.access("admin"), partnership=partnership,
                       fee=Decimal("650.00"))
    page = client_for(team.owner).get(reverse("accounts:audit")).content.decode()
    assert "Maya changed Tess&#x27;s fee from 500.00 to 650.00 EUR" in page
