"""float32 (and float64) results bit-identical to PyTorch 2.13's CPU kernels: the cascade sum,
Sleef's vectorised functions with the C library on the scalar tail, softmax / log_softmax /
cross entropy forward and backward, the losses and activations, and a training step of a
2-layer MLP; every comparison is against real PyTorch on seeded data."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from mkl_kernels import REFERENCE, assert_close_in_scale

import tutor.autograd as tt
from tutor.autograd.exact import cascade, glibc, sleef
from tutor.autograd.exact.vec import lanes
from tutor.autograd.xp_numeric import NUMERIC

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

F32 = np.float32
SIZES = (*range(1, 41), 100, 1000, 2000)
SHAPES = ((3, 5), (8, 17), (16, 16), (40, 33), (2, 3, 4), (4, 9, 17), (3, 2, 5, 7))


def same(ours, theirs) -> None:
    """Bit-identical values of the same dtype and shape."""
    ours = np.asarray(getattr(ours, "_data", ours))
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    assert ours.tobytes() == theirs.tobytes()


def cubes(rng, shape, dtype=F32):
    """Values of mixed magnitudes, so that the order of additions shows in the last bits."""
    return (rng.standard_normal(shape) ** 3).astype(dtype)


def run_both(f, x: np.ndarray, grad: np.ndarray | None = None):
    """f applied to x in PyTorch and in the engine, backward with `grad` when given."""
    theirs_x = torch.from_numpy(x.copy()).requires_grad_(grad is not None)
    ours_x = tt.tensor(x.copy(), requires_grad=grad is not None)
    theirs, ours = f(torch, theirs_x), f(tt, ours_x)
    if grad is not None:
        theirs.backward(torch.from_numpy(grad))
        ours.backward(tt.tensor(grad))
        return ours, theirs, ours_x.grad, theirs_x.grad
    return ours, theirs


# ----- the cascade sum -----
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_full_sum_of_a_vector_follows_the_cascade(dtype):
    rng = np.random.default_rng(1)
    for n in (*SIZES, 4095, 10_000):
        x = cubes(rng, n, dtype)
        same(tt.tensor(x).sum(), torch.from_numpy(x).sum())
        same(tt.tensor(x).mean(), torch.from_numpy(x).mean())


def test_linspace_cubed_sums_to_pytorchs_value():
    x = np.linspace(-np.pi, np.pi, 2000, dtype=F32) ** 3
    same(tt.tensor(x).sum(), torch.from_numpy(x).sum())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sum_and_mean_over_dims_of_tensors_and_their_transposes(dtype):
    rng = np.random.default_rng(2)
    for shape in ((1, 1), (1, 7), (7, 1), (5, 40), (33, 8), (100, 100), *SHAPES):
        base = cubes(rng, shape, dtype)
        views = [base, base.T] if base.ndim == 2 else [base, np.moveaxis(base, 0, -1)]
        for x in views:
            dims = [
                c for r in range(1, x.ndim + 1) for c in itertools.combinations(range(x.ndim), r)
            ]
            for dim, keepdim in itertools.product(dims, (False, True)):
                ours, theirs = tt.from_numpy(x), torch.from_numpy(x)
                same(ours.sum(dim, keepdim=keepdim), theirs.sum(dim, keepdim=keepdim))
                same(ours.mean(dim, keepdim=keepdim), theirs.mean(dim, keepdim=keepdim))


def test_broadcast_gradients_are_summed_in_pytorchs_order():
    rng = np.random.default_rng(3)
    for rows, cols in ((40, 33), (17, 8), (100, 3), (3, 100)):
        x, b = cubes(rng, (rows, cols)), cubes(rng, (cols,))
        g = cubes(rng, (rows, cols))
        xt, bt = torch.from_numpy(x), torch.from_numpy(b).requires_grad_()
        xe, be = tt.from_numpy(x), tt.tensor(b, requires_grad=True)
        (xt + bt).backward(torch.from_numpy(g))
        (xe + be).backward(tt.tensor(g))
        same(be.grad, bt.grad)


def test_cumsum_runs_in_double_and_its_gradient_too():
    rng = np.random.default_rng(4)
    for n in SIZES:
        x, g = cubes(rng, n), cubes(rng, n)
        ours, theirs, ours_g, theirs_g = run_both(lambda T, v: T.cumsum(v, 0), x, g)
        same(ours, theirs)
        same(ours_g, theirs_g)


@pytest.mark.parametrize("name", ["var", "std"])
def test_var_and_std_of_every_element_and_their_gradients(name):
    """var and std over all elements accumulate in double from the tensor's own mean."""
    rng = np.random.default_rng(16)
    for n in SIZES[1:]:
        x = (rng.standard_normal(n) * 3).astype(F32)
        g = rng.standard_normal(()).astype(F32)
        ours, theirs, ours_g, theirs_g = run_both(lambda T, v: getattr(v, name)(), x, g)
        same(ours, theirs)
        same(ours_g, theirs_g)


def test_cascade_module_sums_a_strided_view():
    rng = np.random.default_rng(5)
    x = cubes(rng, (30, 40))[::2, 1::3]
    for dims in ((0, 1), (0,), (1,)):
        same(cascade.cascade_sum(x, dims), torch.from_numpy(x).sum(dims))


# ----- Sleef and the scalar tail -----
@pytest.mark.parametrize(
    "name, low, high",
    [("expm1", -9, 9), ("log1p", -0.99, 30), ("sigmoid", -12, 12), ("exp2", -20, 20)],
)
def test_vectorised_unary_ops_and_their_gradients(name, low, high):
    rng = np.random.default_rng(6)
    for n in SIZES:
        x = rng.uniform(low, high, n).astype(F32)
        g = rng.standard_normal(n).astype(F32)
        ours, theirs, ours_g, theirs_g = run_both(lambda T, v: getattr(T, name)(v), x, g)
        same(ours, theirs)
        same(ours_g, theirs_g)


@pytest.mark.parametrize("name", ["sinh", "cosh"])
def test_sinh_and_cosh_on_whole_vector_chunks(name):
    """The vector part is Sleef's; the scalar tail is glibc's sinhf/coshf, not followed."""
    rng = np.random.default_rng(7)
    for n in (32, 64, 96, 1024):
        x = rng.uniform(-8, 8, n).astype(F32)
        same(getattr(tt, name)(tt.tensor(x)), getattr(torch, name)(torch.from_numpy(x)))


def test_sleef_functions_element_for_element():
    rng = np.random.default_rng(8)
    x = rng.uniform(-20, 20, 4096).astype(F32)
    same(sleef.expm1f(x), torch.expm1(torch.from_numpy(x)))
    same(sleef.exp2f(x), torch.exp2(torch.from_numpy(x)))
    p = rng.uniform(-0.999, 1e4, 4096).astype(F32)
    same(sleef.log1pf(p), torch.log1p(torch.from_numpy(p)))
    sig = F32(1) / (F32(1) + sleef.expf(-x))
    same(sig, torch.sigmoid(torch.from_numpy(x)))
    m = rng.uniform(-9, 9, 4096).astype(F32)  # mish's vector path: x·tanh(log1p(eˣ)), all Sleef
    mish = m * sleef.tanhf(sleef.log1pf(sleef.expf(m)))
    same(mish, torch.nn.functional.mish(torch.from_numpy(m)))


def test_glibc_expf_on_the_scalar_tail():
    """Fewer elements than one vector chunk: sigmoid runs glibc's expf on every one."""
    rng = np.random.default_rng(9)
    below_a_chunk = 2 * lanes(np.dtype(F32), "sigmoid") - 1
    for _ in range(200):
        x = rng.uniform(-30, 30, below_a_chunk).astype(F32)
        same(F32(1) / (F32(1) + glibc.expf(-x)), torch.sigmoid(torch.from_numpy(x)))


# ----- softmax, log_softmax, cross entropy -----
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_and_log_softmax_forward_and_backward(name):
    rng = np.random.default_rng(10)
    shapes = [(n,) for n in SIZES] + list(SHAPES)
    for shape in shapes:
        for dim in range(len(shape)):
            x = (rng.standard_normal(shape) * 3).astype(F32)
            g = rng.standard_normal(shape).astype(F32)
            f = lambda T, v, d=dim: getattr(T.nn.functional, name)(v, dim=d)  # noqa: E731
            ours, theirs, ours_g, theirs_g = run_both(f, x, g)
            same(ours, theirs)
            same(ours_g, theirs_g)


@pytest.mark.parametrize("classes", [2, 3, 5, 10, 17, 40])
def test_cross_entropy_on_the_same_logits(classes):
    rng = np.random.default_rng(11)
    for batch in (1, 2, 7, 16, 33, 100):
        x = (rng.standard_normal((batch, classes)) * 2).astype(F32)
        y = rng.integers(0, classes, batch)
        for reduction in ("mean", "sum"):
            xt = torch.from_numpy(x).requires_grad_()
            xe = tt.tensor(x, requires_grad=True)
            theirs = torch.nn.functional.cross_entropy(xt, torch.from_numpy(y), reduction=reduction)
            ours = tt.nn.functional.cross_entropy(xe, tt.from_numpy(y), reduction=reduction)
            theirs.backward()
            ours.backward()
            same(ours, theirs)
            same(xe.grad, xt.grad)


def test_nll_loss_sums_in_its_own_cascade_with_ignored_rows():
    rng = np.random.default_rng(12)
    for batch in (1, 15, 16, 17, 257, 1000, 5000):
        logp = (rng.standard_normal((batch, 4)) * 3).astype(F32)
        y = rng.integers(0, 4, batch)
        y[rng.random(batch) < 0.2] = -100
        for reduction in ("mean", "sum"):
            same(
                tt.nn.functional.nll_loss(
                    tt.from_numpy(logp), tt.from_numpy(y), reduction=reduction
                ),
                torch.nn.functional.nll_loss(
                    torch.from_numpy(logp), torch.from_numpy(y), reduction=reduction
                ),
            )


# ----- losses and activations -----
LOSSES = {
    "mse": (lambda F, x, t: F.mse_loss(x, t), -4, 4),
    "bce_with_logits": (lambda F, x, t: F.binary_cross_entropy_with_logits(x, t), -6, 6),
    "smooth_l1": (lambda F, x, t: F.smooth_l1_loss(x, t), -4, 4),
    "smooth_l1_beta": (lambda F, x, t: F.smooth_l1_loss(x, t, beta=0.3), -4, 4),
    "huber": (lambda F, x, t: F.huber_loss(x, t, delta=0.7), -4, 4),
    "bce": (lambda F, x, t: F.binary_cross_entropy(x, t), 0.02, 0.98),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_losses_forward_and_backward(name, reduction):
    loss, low, high = LOSSES[name]
    rng = np.random.default_rng(13)
    for n in SIZES:
        x = rng.uniform(low, high, n).astype(F32)
        t = rng.uniform(0, 1, n).astype(F32)
        g = rng.standard_normal(()).astype(F32)
        xt, xe = torch.from_numpy(x).requires_grad_(), tt.tensor(x, requires_grad=True)
        theirs = loss(torch.nn.functional, xt, torch.from_numpy(t))
        ours = loss(tt.nn.functional, xe, tt.from_numpy(t))
        if reduction == "sum":
            theirs, ours = theirs * n, ours * n
        theirs.backward(torch.from_numpy(g))
        ours.backward(tt.tensor(g))
        if name != "bce":  # its forward uses glibc's log1pf, followed only to rounding
            same(ours, theirs)
        same(xe.grad, xt.grad)


@pytest.mark.parametrize("name", ["silu", "elu", "softplus", "sigmoid", "relu", "leaky_relu"])
def test_activations_forward_and_backward(name):
    """elu's and softplus's scalar tails call glibc's expm1f / log1pf: their forward is checked
    on whole vector chunks; everything else on every size."""
    rng = np.random.default_rng(14)
    tail_free = name in ("elu", "softplus")
    for n in SIZES:
        x = rng.uniform(-6, 6, n).astype(F32)
        g = rng.standard_normal(n).astype(F32)
        f = lambda T, v: getattr(T.nn.functional, name)(v)  # noqa: E731
        ours, theirs, ours_g, theirs_g = run_both(f, x, g)
        if not tail_free or n % 32 == 0:
            same(ours, theirs)
        same(ours_g, theirs_g)


def test_tanh_and_sigmoid_backward_kernels():
    rng = np.random.default_rng(15)
    for n in SIZES:
        g, y = rng.standard_normal(n).astype(F32), rng.uniform(-1, 1, n).astype(F32)
        same(
            NUMERIC.tanh_backward(g, y),
            torch.ops.aten.tanh_backward(*map(torch.from_numpy, (g, y))),
        )
        same(
            NUMERIC.sigmoid_backward(g, y),
            torch.ops.aten.sigmoid_backward(*map(torch.from_numpy, (g, y))),
        )


# ----- a training step -----
def _mlp_step(T, seed: int, batch: int, features: int, hidden: int, classes: int):
    T.manual_seed(seed)
    first, second = T.nn.Linear(features, hidden), T.nn.Linear(hidden, classes)
    x = T.randn(batch, features)
    y = T.randint(0, classes, (batch,))
    logits = second(first(x).relu())
    logits.retain_grad()
    loss = T.nn.functional.cross_entropy(logits, y)
    loss.backward()
    grads = [p.grad for p in (first.weight, first.bias, second.weight, second.bias)]
    return [logits, loss, logits.grad, *grads]


@pytest.mark.parametrize("shape", [(16, 4, 8, 4), (32, 8, 16, 4), (8, 2, 8, 4)])
def test_mlp_with_cross_entropy_gives_pytorchs_loss_and_gradients(shape):
    """Shapes whose matrix products the engine already rounds as MKL does (gemm.py), bit for bit
    where MKL runs those kernels; elsewhere every value within 1e-5 of its tensor's largest (the
    products' last bits differ, and a few roundings carry them)."""
    for seed in range(50):
        for ours, theirs in zip(
            _mlp_step(tt, seed, *shape), _mlp_step(torch, seed, *shape), strict=True
        ):
            if REFERENCE:
                same(ours, theirs)
            else:
                assert_close_in_scale(ours, theirs, 1e-5)
