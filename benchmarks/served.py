"""``tejido serve`` in a child process on loopback, for the benchmarks that time requests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(folder: Path, **env: str) -> Iterator[str]:
    """The base URL of the app serving ``folder``, up and answering; stopped afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tejido", "serve", "--port", str(port), "--workspace", str(folder)],
        env={**os.environ, "TEJIDO_WORKSPACE": str(folder), **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not start")
        yield base
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
