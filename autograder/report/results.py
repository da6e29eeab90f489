"""The one result model every exporter reads: a report of per-op results, with what is needed to replay it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_IMPLEMENTED = "not implemented"
    MISSING = "missing"
    INVALID = "invalid"
    ERROR = "error"
    POLICY = "policy violation"
    TIMEOUT = "timeout"
    OOM = "out of memory"
    CRASHED = "crashed"


@dataclass
class Failure:
    """The first (smallest) failing case of an op, explained."""

    case: str
    message: str
    hidden: bool = False
    diagnosis: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    """Inputs, expected and actual gradients, largest error (withheld for hidden cases)."""
    repro: str = ""


@dataclass
class OpResult:
    op: str
    set: str
    status: Status
    score: float
    max_score: float
    summary: str
    page: str
    cases_run: int = 0
    cases_passed: int = 0
    failure: Failure | None = None
    output: str = ""
    seconds: float = 0.0
    layers: list[str] = field(default_factory=list, repr=False)
    function: str = ""
    """What the student wrote for this op: ``mul_backward``, ``jacobian_rows``, the engine's ``backward``."""

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED


@dataclass
class Report:
    mode: str
    """``check`` (visible cases, advisory) or ``grade`` (visible and hidden cases, official)."""
    submission: str
    submission_hash: str
    grader_version: str
    torch_version: str
    python_version: str
    seeds: dict[str, int]
    limits: dict[str, Any]
    results: list[OpResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sandbox: list[str] = field(default_factory=list)
    """Isolation layers the children reported active (Landlock, network namespace...), for the record."""
    started_at: str = ""
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results)

    @property
    def max_score(self) -> float:
        return sum(r.max_score for r in self.results)

    @property
    def all_passed(self) -> bool:
        return all(r.passed for r in self.results)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"], data["max_score"] = self.score, self.max_score
        return data
