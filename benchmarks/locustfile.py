"""Locust users of the web app, for ``benchmarks/load_web.py`` (which starts the server,
signs the users in and runs locust headless against 127.0.0.1 only).

Each simulated person signs in once (a session cookie made by load_web.py), then reads
pages and the API the way an analyst does, with 1-3 s between clicks. The parameters come
from the environment: TEJIDO_LOAD_PLAN (a JSON file: sessions, organisations, people,
searches).
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(open(os.environ["TEJIDO_LOAD_PLAN"]).read())  # noqa: SIM115
_sessions = itertools.cycle(PLAN["sessions"])


@events.init.add_listener
def _only_loopback(environment: Any, **_kw: Any) -> None:
    host = environment.host or ""
    if not host.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit(f"the load test runs against loopback only, not {host!r}")


class Analyst(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.cookies.set("tejido_session", next(_sessions))
        self.rng = random.Random()

    def _org(self) -> int:
        return int(self.rng.choice(PLAN["orgs"]))

    @task(4)
    def overview(self) -> None:
        self.client.get("/", name="page /")

    @task(3)
    def organisations(self) -> None:
        self.client.get("/organisations", name="page /organisations")

    @task(5)
    def account(self) -> None:
        self.client.get(f"/organisations/{self._org()}", name="page /organisations/{org}")

    @task(2)
    def search(self) -> None:
        q = self.rng.choice(PLAN["searches"])
        self.client.get("/people", params={"q": q}, name="page /people?q=")

    @task(3)
    def person(self) -> None:
        self.client.get(f"/people/{self.rng.choice(PLAN['people'])}", name="page /people/{person}")

    @task(2)
    def map_page(self) -> None:
        self.client.get("/map", name="page /map")

    @task(1)
    def my_data(self) -> None:
        self.client.get("/me", name="page /me")

    @task(3)
    def api_coverage(self) -> None:
        self.client.get(f"/api/coverage/{self._org()}", name="api /api/coverage/{org}")

    @task(3)
    def api_paths(self) -> None:
        self.client.get("/api/paths", params={"org": self._org(), "k": 5},
                        name="api /api/paths?org=")  # fmt: skip

    @task(1)
    def api_map(self) -> None:
        self.client.get("/api/map", name="api /api/map")

    @task(2)
    def health(self) -> None:
        self.client.get("/api/health", name="baseline /api/health")
