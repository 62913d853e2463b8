"""nn and optim against PyTorch 2.13: the same program run on both prints the same text —
module printing, registration, parameters, state, errors — and SGD and Adam steps give the same
numbers."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout

import pytest

import tutor.autograd as tt

torch = pytest.importorskip("torch")


def _run(program, module) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        try:
            program(module)
        except Exception as e:  # noqa: BLE001 - the error is part of what is compared
            print(type(e).__name__, e)
    return re.sub(r"0x[0-9a-f]+", "0x…", out.getvalue())


def same(program) -> str:
    theirs = _run(program, torch)
    ours = _run(program, tt)
    assert ours == theirs
    return ours


def _layers(T):
    nn = T.nn
    return [
        nn.Linear(2, 3),
        nn.Linear(4, 1, bias=False),
        nn.ReLU(),
        nn.ReLU(inplace=True),
        nn.Sigmoid(),
        nn.Tanh(),
        nn.LeakyReLU(),
        nn.LeakyReLU(0.2, inplace=True),
        nn.ELU(alpha=0.5),
        nn.GELU(),
        nn.SiLU(),
        nn.Softplus(beta=2.0),
        nn.Softmax(dim=1),
        nn.LogSoftmax(dim=-1),
        nn.Hardtanh(),
        nn.ReLU6(),
        nn.Identity(),
        nn.Flatten(),
        nn.MSELoss(),
        nn.MSELoss(reduction="sum"),
        nn.CrossEntropyLoss(),
        nn.NLLLoss(),
        nn.L1Loss(),
        nn.BCELoss(),
        nn.BCEWithLogitsLoss(),
        nn.SmoothL1Loss(),
        nn.HuberLoss(),
    ]


def test_every_layer_prints_as_pytorch_prints_it():
    def program(T):
        for layer in _layers(T):
            print(layer)
        print(T.nn.Sequential(*_layers(T)[:6]))
        print(T.nn.ModuleList([T.nn.Linear(1, 1), T.nn.Linear(1, 1), T.nn.ReLU()]))
        print(T.nn.ModuleList(), T.nn.Sequential())

    assert "Linear(in_features=2, out_features=3, bias=True)" in same(program)


def _net_class(T):
    nn = T.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(T.ones(1))
            self.fc1 = nn.Linear(3, 4)
            self.act = nn.ReLU()
            self.blocks = nn.ModuleList([nn.Linear(4, 4), nn.Linear(4, 4)])
            self.head = nn.Sequential(nn.Linear(4, 2), nn.Sigmoid())
            self.note = "plain attribute"

        def forward(self, x):
            h = self.act(self.fc1(x))
            for block in self.blocks:
                h = block(h)
            return self.head(h) * self.scale

    return Net


def test_a_module_subclass_registers_parameters_and_submodules_in_order():
    def program(T):
        T.manual_seed(3)
        net = _net_class(T)()
        print(net)
        print([name for name, _ in net.named_parameters()])
        print([type(m).__name__ for m in net.modules()])
        print([name for name, _ in net.named_children()])
        print(sum(p.numel() for p in net.parameters()))
        print(net.fc1.weight)
        print(net.head[0].bias)
        print(net.note, net.training, net.eval().training, net.train().training)
        out = net(T.randn(5, 3))
        print(out)
        print(out.grad_fn, out.grad_fn.next_functions[0][0])
        print(net.state_dict())
        print(isinstance(net.scale, T.nn.Parameter), isinstance(net.scale, T.Tensor))

    assert "Parameter containing:" in same(program)


def test_parameters_share_memory_and_results_are_plain_tensors():
    def program(T):
        base = T.tensor([1.0, 2.0])
        p = T.nn.Parameter(base)
        base.add_(1)
        print(p)
        print(type(p * 2).__name__, type(p.detach()).__name__, type(p.data).__name__)
        print(p.is_leaf, p.requires_grad, p.grad_fn)
        print(T.nn.Parameter(T.ones(2), requires_grad=False))
        print(T.nn.Parameter())
        (p * p).sum().backward()
        print(p.grad)

    same(program)


@pytest.mark.parametrize(
    "mistake",
    [
        "before_init",
        "tensor_as_parameter",
        "int_parameter",
        "missing_forward",
        "missing_attribute",
        "number_as_module",
        "non_leaf_parameter",
    ],
)
def test_module_mistakes_raise_pytorch_errors(mistake):
    def program(T):
        nn = T.nn

        class Early(nn.Module):
            def __init__(self):
                self.w = nn.Parameter(T.ones(1))

        class NoForward(nn.Module):
            pass

        m = nn.Linear(2, 2)
        if mistake == "before_init":
            Early()
        elif mistake == "tensor_as_parameter":
            m.weight = T.ones(2, 2)
        elif mistake == "int_parameter":
            nn.Parameter(T.tensor([1, 2]))
        elif mistake == "missing_forward":
            NoForward()(T.ones(1))
        elif mistake == "missing_attribute":
            print(m.nothing_here)
        elif mistake == "number_as_module":
            seq = nn.Sequential(nn.ReLU())
            seq[0] = 3
            print(seq)
        elif mistake == "non_leaf_parameter":
            m.register_parameter("w2", nn.Parameter(T.ones(1)) * 2)

    same(program)


def test_zero_grad_and_requires_grad_follow_pytorch():
    def program(T):
        T.manual_seed(0)
        m = T.nn.Linear(2, 1)
        m(T.ones(3, 2)).sum().backward()
        print(m.weight.grad, m.bias.grad)
        m.zero_grad(set_to_none=False)
        print(m.weight.grad)
        m.zero_grad()
        print(m.weight.grad)
        m.requires_grad_(False)
        print(m(T.ones(1, 2)))

    same(program)


def test_load_state_dict_copies_values_and_names_missing_keys():
    def program(T):
        T.manual_seed(1)
        a, b = T.nn.Linear(2, 2), T.nn.Linear(2, 2)
        print(b.load_state_dict(a.state_dict()))
        print(T.equal(a.weight, b.weight), b.weight.requires_grad)
        b.load_state_dict({"weight": a.weight.detach()})

    same(program)


def test_optimizer_state_matches_pytorch():
    def program(T):
        T.manual_seed(2)
        w = T.nn.Parameter(T.randn(3))
        opt = T.optim.Adam([w], lr=0.1)
        (w * w).sum().backward()
        opt.step()
        print(opt.state[w])
        print(opt.param_groups)
        sgd = T.optim.SGD([w], lr=0.1, momentum=0.9)
        sgd.step()
        print(sgd.state_dict())

    same(program)


def test_param_groups_take_their_own_options():
    def program(T):
        T.manual_seed(4)
        a, b = T.nn.Linear(2, 2), T.nn.Linear(2, 1)
        opt = T.optim.SGD(
            [{"params": a.parameters()}, {"params": b.parameters(), "lr": 0.5}], lr=0.1
        )
        print(opt)
        b(a(T.ones(1, 2))).sum().backward()
        opt.step()
        print(a.weight, b.weight)
        opt.param_groups[0]["lr"] = 0.01
        opt.step()
        print(a.weight)

    same(program)


@pytest.mark.parametrize(
    "make",
    [
        lambda T, w: T.optim.SGD([], lr=0.1),
        lambda T, w: T.optim.SGD(w, lr=0.1),
        lambda T, w: T.optim.SGD([w * 2], lr=0.1),
        lambda T, w: T.optim.SGD([w], lr=-1),
        lambda T, w: T.optim.SGD([1], lr=0.1),
        lambda T, w: T.optim.SGD([w], lr=0.1, nesterov=True),
        lambda T, w: T.optim.Adam([w], betas=(1.0, 0.9)),
        lambda T, w: T.optim.Adam([w], eps=-1),
        lambda T, w: T.optim.SGD([w], lr=0.1, momentum=-0.5),
    ],
)
def test_optimizer_mistakes_raise_pytorch_errors(make):
    def program(T):
        make(T, T.nn.Parameter(T.ones(2)))

    same(program)


def test_closure_step_returns_the_loss():
    def program(T):
        w = T.nn.Parameter(T.tensor([1.0, -2.0]))
        opt = T.optim.SGD([w], lr=0.1)

        def closure():
            opt.zero_grad()
            loss = (w**2).sum()
            loss.backward()
            return loss

        for _ in range(3):
            print(opt.step(closure), w)

    same(program)


@pytest.mark.parametrize(
    "init",
    [
        lambda T, w: T.nn.init.uniform_(w, -0.5, 0.5),
        lambda T, w: T.nn.init.normal_(w, 0.0, 0.02),
        lambda T, w: T.nn.init.constant_(w, 0.3),
        lambda T, w: T.nn.init.zeros_(w),
        lambda T, w: T.nn.init.ones_(w),
        lambda T, w: T.nn.init.eye_(w),
        lambda T, w: T.nn.init.kaiming_uniform_(w, nonlinearity="relu"),
        lambda T, w: T.nn.init.kaiming_normal_(w, mode="fan_out"),
        lambda T, w: T.nn.init.xavier_uniform_(w, gain=T.nn.init.calculate_gain("tanh")),
        lambda T, w: T.nn.init.xavier_normal_(w),
        lambda T, w: T.nn.init.kaiming_uniform_(T.ones(3)),
    ],
)
def test_init_functions_draw_what_pytorch_draws(init):
    def program(T):
        T.manual_seed(5)
        layer = T.nn.Linear(4, 3)
        print(init(T, layer.weight))
        print(layer.weight.requires_grad, layer.weight.grad_fn)

    same(program)
