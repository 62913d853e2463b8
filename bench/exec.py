"""Provides the `tutor exec` start-to-exit benchmark: the seed program against bare `import numpy`.

Target (DESIGN.md): at most 1.5x `python -c "import numpy"`, both spawned alternately in one run.
Run: python bench/exec.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "programs" / "000_seed_forward.py"


def _spawn(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    # As installed by pip: bytecode compiled (PYTHONDONTWRITEBYTECODE would otherwise make every
    # spawned run recompile the tutor from source).
    compileall.compile_dir(ROOT / "tutor", quiet=1)
    baseline_cmd = [sys.executable, "-c", "import numpy"]
    # The installed console script, as a learner runs it (`python -m tutor` adds runpy's cost).
    script = shutil.which("tutor", path=str(Path(sys.executable).parent)) or shutil.which("tutor")
    entry = [script] if script else [sys.executable, "-m", "tutor"]
    tutor_cmd = [*entry, "exec", str(SEED)]
    _spawn(baseline_cmd), _spawn(tutor_cmd)  # warm the file cache
    baseline, tutor = [], []
    for _ in range(args.runs):
        baseline.append(_spawn(baseline_cmd))
        tutor.append(_spawn(tutor_cmd))
    base, mine = statistics.median(baseline), statistics.median(tutor)
    print(f"python -c 'import numpy': median {base * 1000:.1f} ms over {args.runs} runs")
    print(f"tutor exec seed program:  median {mine * 1000:.1f} ms over {args.runs} runs")
    print(f"ratio: {mine / base:.2f}x (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
