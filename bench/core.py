"""Provides the engine benchmark: the seed program against PyTorch and hand-written numpy.

Run: `python bench/core.py`. Every ratio is measured side by side in one run (best of repeats).
"""

from __future__ import annotations

import gc
import sys
import timeit

import numpy as np

import tutor.autograd as engine


def seed_program(torch, n: int):
    """The seed lesson's program at n×n, forward and backward."""
    if n == 2:
        x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    else:
        x = torch.ones(n, n).requires_grad_(True)
    x1 = x + 2
    x2 = x - 2
    x3 = x1 * x2
    y = x3.sum()
    y.backward()
    return x.grad


def numpy_program(n: int):
    """The same program, forward and backward written by hand in numpy."""
    x = np.ones((n, n), dtype=np.float32)
    x1 = x + 2
    x2 = x - 2
    x3 = x1 * x2
    x3.sum()
    g = np.ones_like(x3)
    return g * x2 + g * x1


def second_order(torch):
    """d²/dx² of Σ sin(x)·x³ through create_graph=True, as a lesson on higher order computes it."""
    x = torch.linspace(-1.0, 1.0, 8).requires_grad_(True)
    y = (torch.sin(x) * x**3).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return h


def mlp_step(torch, model, optimizer, x, target):
    """One training step of a 2-layer MLP (Linear, ReLU, Linear; MSE; SGD with momentum)."""
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), target)
    loss.backward()
    optimizer.step()
    return loss


def mlp(torch):
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, target = torch.randn(32, 4), torch.randn(32, 3)
    return lambda: mlp_step(torch, model, optimizer, x, target)


def best(func, number: int, repeat: int = 7) -> float:
    """Seconds per call, the minimum over `repeat` runs of `number` calls."""
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number


def chain_backward(length: int) -> float:
    """Seconds per op of backward through a chain of `length` multiplications."""
    x = engine.ones(4).requires_grad_(True)
    y = x
    for _ in range(length):
        y = y * 1.0001
    loss = y.sum()
    gc.disable()  # as timeit does: time the engine, not the cycle collector
    try:
        start = timeit.default_timer()
        loss.backward()
        return (timeit.default_timer() - start) / length
    finally:
        gc.enable()


def main() -> int:
    try:
        import torch
    except ImportError:
        torch = None
    rows = []
    ours_small = best(lambda: seed_program(engine, 2), 2000)
    if torch is not None:
        torch.set_num_threads(1)
        torch_small = best(lambda: seed_program(torch, 2), 2000)
        rows.append(("seed 2x2: engine / PyTorch", ours_small / torch_small, 0.5))
        print(f"seed 2x2: engine {ours_small * 1e6:.1f} us, PyTorch {torch_small * 1e6:.1f} us")
        ours_second = best(lambda: second_order(engine), 300)
        torch_second = best(lambda: second_order(torch), 300)
        rows.append(("second order 8: engine / PyTorch", ours_second / torch_second, 3.0))
        print(
            f"second order (8 elements): engine {ours_second * 1e6:.1f} us, "
            f"PyTorch {torch_second * 1e6:.1f} us"
        )
        ours_mlp, torch_mlp = best(mlp(engine), 300), best(mlp(torch), 300)
        rows.append(("MLP step 32x4-16-3: engine / PyTorch", ours_mlp / torch_mlp, 3.0))
        print(f"2-layer MLP step: engine {ours_mlp * 1e6:.1f} us, PyTorch {torch_mlp * 1e6:.1f} us")
    else:
        print(f"seed 2x2: engine {ours_small * 1e6:.1f} us (PyTorch not installed)")
    ours_big = best(lambda: seed_program(engine, 1000), 5)
    numpy_big = best(lambda: numpy_program(1000), 5)
    rows.append(("seed 1000x1000: engine / numpy", ours_big / numpy_big, 1.3))
    print(f"seed 1000x1000: engine {ours_big * 1e3:.2f} ms, numpy {numpy_big * 1e3:.2f} ms")
    per_op = {n: min(chain_backward(n) for _ in range(5)) for n in (10_000, 100_000)}
    for n, seconds in per_op.items():
        print(f"chain of {n:,} ops: backward {seconds * 1e6:.2f} us per op")
    rows.append(("chain 100k / 10k per-op time", per_op[100_000] / per_op[10_000], 1.5))
    failed = False
    for name, ratio, target in rows:
        ok = ratio <= target
        failed |= not ok
        print(f"{name:36s} {ratio:5.2f}x  (target <= {target}x)  {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
