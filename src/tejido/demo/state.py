"""The whole generated world, passed from the generator to the file writers."""

from __future__ import annotations

from dataclasses import dataclass, field

from tejido.demo.careers import Employees
from tejido.demo.influence_plants import BoughtFollowers, HiddenHub
from tejido.demo.messages import Inbox
from tejido.demo.ties import Ties
from tejido.demo.warm_paths import WarmPath
from tejido.demo.world import Organisations, People

__all__ = ["DemoWorld", "XAccount"]


@dataclass(frozen=True)
class XAccount:
    """An employee's X account, as their archive's account.js describes it."""

    person: int
    account_id: str
    username: str
    display_name: str
    created_at: str
    archive: bool


@dataclass
class DemoWorld:
    """Ground truth of one demo company: everything the writers need."""

    orgs: Organisations
    people: People
    emp: Employees
    ties: Ties
    inbox: Inbox
    x_accounts: dict[int, XAccount] = field(default_factory=dict)
    warm_paths: list[WarmPath] = field(default_factory=list)
    hidden_hubs: list[HiddenHub] = field(default_factory=list)
    bought: BoughtFollowers | None = None
