"""Provides evaluate, Tally and the printed report: per-family classes, and minimised failures."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .compare import CLASSES, Verdict, compare
from .generate import NOT_YET_SUPPORTED, Case
from .minimise import Minimised, minimise

_ADDRESS_LINE = re.compile(r"^tutor: [^:]+:\d+: ")

FAILING = ("mismatch", "crash")


@dataclass(frozen=True)
class Result:
    case: Case
    verdict: Verdict


@dataclass
class Tally:
    """Class counts per family, and over the families the engine claims to support."""

    results: list[Result]
    by_family: dict[str, Counter[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_family = {}
        for result in self.results:
            self.by_family.setdefault(result.case.family, Counter())[result.verdict.kind] += 1

    def supported(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for family, counts in self.by_family.items():
            if family not in NOT_YET_SUPPORTED:
                total.update(counts)
        return total

    def everything(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.by_family.values():
            total.update(counts)
        return total

    def failing(self, family: str) -> list[Result]:
        return [r for r in self.results if r.case.family == family and r.verdict.kind in FAILING]


def evaluate(cases: Iterable[Case]) -> Tally:
    return Tally([Result(case, compare(case.source)) for case in cases])


def rate(counts: Counter[str], *kinds: str) -> float:
    total = sum(counts.values())
    return sum(counts[k] for k in kinds) / total if total else 1.0


def table(tally: Tally) -> str:
    header = f"{'family':<15}{'n':>5}" + "".join(f"{k:>10}" for k in CLASSES) + "   exact+noise"
    rows = [header]
    for family in sorted(tally.by_family, key=lambda f: (f in NOT_YET_SUPPORTED, f)):
        mark = " *" if family in NOT_YET_SUPPORTED else ""
        rows.append(_row(family + mark, tally.by_family[family]))
    rows.append(_row("supported", tally.supported()))
    rows.append(_row("all", tally.everything()))
    rows.append("(* not yet supported: measured, left out of the thresholds)")
    return "\n".join(rows)


def _row(label: str, counts: Counter[str]) -> str:
    n = sum(counts.values())
    cells = "".join(f"{100 * rate(counts, k):>9.1f}%" if n else f"{'-':>10}" for k in CLASSES)
    return f"{label:<15}{n:>5}{cells}{100 * rate(counts, 'exact', 'noise'):>13.1f}%"


def reasons(tally: Tally, top: int = 10) -> str:
    """The commonest refusals and crashes, across all families."""
    counts: Counter[str] = Counter()
    for result in tally.results:
        tutor = result.verdict.tutor
        if result.verdict.kind == "refused" and tutor.refusal:
            counts["refused: " + _ADDRESS_LINE.sub("", tutor.refusal)] += 1
        elif result.verdict.kind == "crash":
            counts[f"crash: {tutor.error}  [{tutor.crash}]"] += 1
    return "\n".join(f"{n:>5}  {text}" for text, n in counts.most_common(top))


def describe(case_name: str, found: Minimised) -> str:
    verdict = found.verdict
    crash = f" ({verdict.tutor.crash})" if verdict.tutor.crash else ""
    return "\n".join(
        [
            f"--- {case_name}: {verdict.kind}{crash}",
            _indented(found.source),
            "  torch prints:",
            _indented(verdict.torch.text() or "(nothing)"),
            "  the tutor prints:",
            _indented(verdict.tutor.text() or "(nothing)"),
        ]
    )


def _indented(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip("\n").splitlines())


def failures_report(tally: Tally, per_family: int, families: Iterable[str] | None = None) -> str:
    chosen = list(families or sorted(tally.by_family))
    parts = []
    for family in chosen:
        for result in tally.failing(family)[:per_family]:
            found = minimise(result.case.source, result.verdict)
            parts.append(describe(result.case.name, found))
    return "\n".join(parts)
