"""Checks shared by the agent-lightning compatibility scripts: each raises AssertionError with its message."""

from __future__ import annotations

from typing import Any


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def equal(actual: Any, expected: Any, what: str) -> None:
    check(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")
