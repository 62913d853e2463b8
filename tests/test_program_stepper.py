"""Stepping the seed program: snapshots carry what the lesson asks, and stay true afterwards."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tutor.program import Stepper, normalise

SEED = (Path(__file__).parent / "programs" / "000_seed_forward.py").read_text(encoding="utf-8")
DETACH = (Path(__file__).parent / "programs" / "001_seed_detach.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def expected(torch):
    """The seed's values and gradients, computed by real PyTorch."""
    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    x1, x2 = x + 2, x - 2
    x3 = x1 * x2
    y = x3.sum()
    d_x3, d_x1, d_x2, d_x = torch.autograd.grad(y, (x3, x1, x2, x))
    values = {"x": x, "x1": x1, "x2": x2, "x3": x3, "y": y}
    grads = {"x3": d_x3, "x1": d_x1, "x2": d_x2, "x": d_x}
    return {
        "values": {k: v.detach().numpy().copy() for k, v in values.items()},
        "reprs": {k: repr(v) for k, v in values.items()},
        "grads": {k: v.numpy().copy() for k, v in grads.items()},
    }


def test_statements_are_listed_with_lines_and_normalised_text():
    statements = Stepper(SEED).statements()
    texts = [s.text for s in statements]
    assert "x1 = x + 2" in texts
    assert normalise("x1  =  x+2") == "x1 = x + 2"
    first_x = next(s for s in statements if s.text.startswith("x = "))
    assert (first_x.line, first_x.end_line) == (4, 5)


def test_forward_snapshots_carry_values_reprs_and_graph(expected):
    stepper = Stepper(SEED)
    for name in ("x1", "x2", "x3", "y"):
        snapshot = stepper.run_until(lambda s, n=name: n in s.new_variables)
        record = snapshot.variables[name].tensor
        np.testing.assert_allclose(record.values, expected["values"][name], rtol=1e-6)
        assert record.repr == expected["reprs"][name]
        assert snapshot.new_tensors == (name,)
        assert record.grad_fn_id in snapshot.graph.nodes
        assert record.grad_fn_id in snapshot.new_nodes
        assert snapshot.graph.nodes[record.grad_fn_id].name == record.grad_fn
    names = {node.name for node in snapshot.graph.nodes.values()}
    assert {"SumBackward0", "MulBackward0", "AddBackward0", "SubBackward0"} <= names
    (accumulate,) = snapshot.graph.named("AccumulateGrad")
    assert accumulate.variable == "x"
    mul = snapshot.graph.named("MulBackward0")[0]
    edges = snapshot.graph.edges()
    targets = {snapshot.graph.nodes[to].name for start, to, _ in edges if start == mul.id}
    assert targets == {"AddBackward0", "SubBackward0"}


def test_backward_is_stepped_node_by_node(expected):
    stepper = Stepper(SEED)
    stepper.run_until("print(y)")
    flows = []
    while (snapshot := stepper.step()).kind == "backward-node":
        flows.append(snapshot.backward)
    assert snapshot.statement.text == "y.backward()"
    by_name = {flow.node_name: flow for flow in flows}
    assert [f.node_name for f in flows][0] == "SumBackward0"
    arriving = {
        "MulBackward0": "x3",
        "AddBackward0": "x1",
        "SubBackward0": "x2",
        "AccumulateGrad": "x",
    }
    for node, variable in arriving.items():
        (gradient,) = by_name[node].arriving
        np.testing.assert_allclose(gradient.values, expected["grads"][variable], rtol=1e-6)
    sent = {s.node_name: s.gradient.values for s in by_name["MulBackward0"].sent}
    np.testing.assert_allclose(sent["AddBackward0"], expected["grads"]["x1"], rtol=1e-6)
    np.testing.assert_allclose(sent["SubBackward0"], expected["grads"]["x2"], rtol=1e-6)
    assert by_name["AddBackward0"].sent[0].variable == "x"
    assert by_name["AccumulateGrad"].variable == "x"
    grad = snapshot.variables["x"].tensor.grad
    np.testing.assert_allclose(grad, expected["grads"]["x"], rtol=1e-6)
    np.testing.assert_allclose(grad, 2 * expected["values"]["x"], rtol=1e-6)


def test_the_seed_ends_with_numpy_error_and_evaluate_sees_live_state(expected):
    stepper = Stepper(SEED)
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad"):
        stepper.run_all()
    assert stepper.finished and isinstance(stepper.error, RuntimeError)
    assert stepper.snapshots[-1].output.count("tensor(") == 6
    np.testing.assert_allclose(
        stepper.evaluate("x.grad").numpy(), expected["grads"]["x"], rtol=1e-6
    )
    assert stepper.evaluate("y.grad_fn.name()") == "SumBackward0"
    with pytest.raises(RuntimeError, match="numpy"):
        stepper.evaluate("x3.numpy()")


def test_snapshots_stay_true_after_detach_and_accumulation():
    program = DETACH + "\ny2 = (x * x).sum()\ny2.backward()\ny2 = (x * x).sum()\ny2.backward()\n"
    stepper = Stepper(program)
    before = stepper.run_until(lambda s: s.line == 20)  # print(x3) while still attached
    snapshots = stepper.run_all()
    x3 = before.variables["x3"].tensor
    assert x3.grad_fn == "MulBackward0" and x3.requires_grad and not x3.is_leaf
    assert "grad_fn=<MulBackward0>" in x3.repr
    assert not x3.values.flags.writeable
    after = snapshots[-1].variables["x3"].tensor
    assert after.grad_fn is None and after.is_leaf
    backwards = [s for s in snapshots if s.statement.text == "y2.backward()"]
    once = [s for s in backwards if s.kind == "statement"][0]
    twice = snapshots[-1]
    np.testing.assert_allclose(
        2 * once.variables["x"].tensor.grad, twice.variables["x"].tensor.grad
    )


def test_loops_step_once_per_iteration():
    stepper = Stepper("total = 0\nfor i in range(3):\n    total += i\nprint(total)\n")
    kinds = [(s.kind, s.iteration, s.variables["total"].value) for s in stepper.run_all()[1:4]]
    assert kinds == [("iteration", 0, 0), ("iteration", 1, 1), ("iteration", 2, 3)]
    assert stepper.snapshots[-1].output == "3\n"


def test_stepper_binds_an_injected_torch(torch):
    stepper = Stepper(SEED, torch_module=torch)
    snapshot = stepper.run_until("y.backward()")
    assert snapshot.variables["x"].tensor.grad is not None
    assert stepper.evaluate("x.grad").__class__ is torch.Tensor


def test_run_until_a_statement_that_never_runs_is_a_lookup_error():
    with pytest.raises(LookupError):
        Stepper("x = 1\n").run_until("y = 2")
