"""Provides the families of what the engine is gaining: torch.autograd.grad, second derivatives,
tensor hooks, nn modules and losses, optimisers in seeded training loops, and programs with
def/class/try/while/comprehensions."""

from __future__ import annotations

from .builder import Builder

ACTIVATIONS = ["nn.ReLU()", "nn.Sigmoid()", "nn.Tanh()"]


def _function_of(b: Builder, x: str) -> str:
    return b.pick(
        [
            f"{x} ** 3",
            f"{x}.exp() * {x}",
            f"torch.sin({x}) * {x}",
            f"{x} ** 2 + 3 * {x}",
            f"torch.tanh({x})",
            f"{x}.sigmoid()",
            f"1 / (1 + {x} ** 2)",
        ]
    )


def autograd_grad(b: Builder) -> None:
    x, w = b.leaf("x", (b.rng.randint(1, 3),)), b.leaf("w", (1,))
    y = b.fresh("y")
    b.emit(f"{y} = ({_function_of(b, x)} * {w}).sum()")
    form = b.rng.randrange(4)
    if form == 0:
        b.emit(f"(gx,) = torch.autograd.grad({y}, {x})")
        b.show("gx", f"{x}.grad")
    elif form == 1:
        b.emit(f"gx, gw = torch.autograd.grad({y}, [{x}, {w}], retain_graph=True)")
        b.show("gx", "gw")
        b.emit(f"{y}.backward()")
        b.show(f"{x}.grad", f"{w}.grad")
    elif form == 2:
        u = b.leaf("u", (2,))
        b.emit(f"gx, gu = torch.autograd.grad({y}, [{x}, {u}], allow_unused=True)")
        b.show("gx", "gu")
    else:
        z = b.fresh("z")
        b.emit(
            f"{z} = {x} * 2",
            f"(g,) = torch.autograd.grad({z}, {x}, grad_outputs=torch.ones_like({z}))",
        )
        b.show("g")
        b.emit(f"torch.autograd.backward({y})")
        b.show(f"{x}.grad")


def higher_order(b: Builder) -> None:
    x = b.leaf("x", (b.rng.randint(1, 3),))
    y = b.fresh("y")
    b.emit(f"{y} = ({_function_of(b, x)}).sum()")
    if b.chance(0.5):
        b.emit(f"(g,) = torch.autograd.grad({y}, {x}, create_graph=True)")
        b.show("g", "g.grad_fn" if b.chance(0.5) else "g.requires_grad")
        b.emit(b.pick(["(h,) = torch.autograd.grad(g.sum(), " + x + ")", "g.sum().backward()"]))
        b.show("h" if "(h,)" in b.lines[-1] else f"{x}.grad")
    else:
        b.emit(f"{y}.backward(create_graph=True)")
        b.show(f"{x}.grad", f"{x}.grad.grad_fn")
        b.emit(f"g2 = {x}.grad.sum()", f"{x}.grad = None", "g2.backward()")
        b.show(f"{x}.grad")


def hooks(b: Builder) -> None:
    x = b.leaf("x", (b.rng.randint(1, 3),))
    y = b.fresh("y")
    b.emit(f"{y} = {x} * {b.number('nonzero')}")
    target = b.pick([x, y])
    b.emit("def hook(grad):", "    print('hook', grad)")
    b.emit(b.pick(["    return grad * 2", "    return None", "    return grad + 1"]))
    b.emit(f"handle = {target}.register_hook(hook)")
    if target == y and b.chance(0.5):
        b.emit(f"{y}.retain_grad()")
    b.emit(f"({y} ** 2).sum().backward(retain_graph=True)")
    b.show(f"{x}.grad", f"{y}.grad" if target == y else f"{x}.is_leaf")
    if b.chance(0.5):
        b.emit("handle.remove()", f"({y} ** 2).sum().backward()")
        b.show(f"{x}.grad")


def nn_modules(b: Builder) -> None:
    b.emit("import torch.nn as nn", f"torch.manual_seed({b.rng.randint(0, 9)})")
    n_in, n_hidden, n_out = b.rng.randint(1, 4), b.rng.randint(2, 4), b.rng.randint(1, 3)
    form = b.rng.randrange(4)
    if form == 3:
        b.emit(f"w = nn.Parameter(torch.tensor({b.literal((n_out, n_in))}))", "print(w, w.is_leaf)")
        b.emit("model = nn.Linear(1, 1)" if b.chance(0.5) else "model = nn.Tanh()")
        b.emit("print(list(model.parameters()))")
        b.emit(f"x = torch.ones(2, {n_in})", "loss = (x @ w.t()).pow(2).mean()", "loss.backward()")
        b.show("w.grad")
        return
    if form == 0:
        b.emit(f"model = nn.Linear({n_in}, {n_out}{', bias=False' if b.chance(0.2) else ''})")
    elif form == 1:
        act = b.pick(ACTIVATIONS)
        b.emit(
            f"model = nn.Sequential(nn.Linear({n_in}, {n_hidden}), {act}, nn.Linear({n_hidden}, {n_out}))"
        )
    else:
        b.emit(
            "class Net(nn.Module):",
            "    def __init__(self):",
            "        super().__init__()",
            f"        self.fc = nn.Linear({n_in}, {n_out})",
            f"        self.scale = nn.Parameter(torch.tensor({b.number('positive')}))",
            "    def forward(self, x):",
            "        return self.fc(x) * self.scale",
            "model = Net()",
        )
    b.show("model")
    b.emit(f"x = torch.randn({b.rng.randint(1, 3)}, {n_in})")
    if b.chance(0.5):
        b.emit(
            "loss_fn = nn.MSELoss()", f"loss = loss_fn(model(x), torch.zeros(x.shape[0], {n_out}))"
        )
    else:
        b.emit(
            "loss_fn = nn.CrossEntropyLoss()",
            "loss = loss_fn(model(x), torch.zeros(x.shape[0], dtype=torch.long))",
        )
    b.emit("loss.backward()")
    b.show("loss")
    b.emit("for name, p in model.named_parameters():", "    print(name, p.shape, p.grad)")
    b.emit("model.zero_grad()")
    b.show("[p.grad for p in model.parameters()]")


def optim(b: Builder) -> None:
    b.emit("import torch.nn as nn", f"torch.manual_seed({b.rng.randint(0, 9)})")
    n_in = b.rng.randint(1, 3)
    b.emit(
        f"model = nn.Linear({n_in}, 1)",
        f"x = torch.randn(4, {n_in})",
        "y = x.sum(1, keepdim=True) * 2 + 1",
    )
    opt = b.pick(
        [
            f"torch.optim.SGD(model.parameters(), lr={b.pick(['0.1', '0.01'])})",
            f"torch.optim.SGD(model.parameters(), lr=0.05, momentum={b.pick(['0.9', '0.5'])})",
            "torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=0.01)",
            f"torch.optim.Adam(model.parameters(), lr={b.pick(['0.1', '0.01'])})",
        ]
    )
    b.emit(f"optimizer = {opt}", "loss_fn = nn.MSELoss()")
    b.emit(
        f"for epoch in range({b.rng.randint(2, 5)}):",
        "    optimizer.zero_grad()",
        "    loss = loss_fn(model(x), y)",
        "    loss.backward()",
        "    optimizer.step()",
    )
    b.emit(
        b.pick(
            [
                "    print(epoch, loss.item())",
                "    print(f'{epoch}: {loss.item():.4f}')",
                "    print(loss)",
            ]
        )
    )
    b.show("model.weight", "model.bias")


def python(b: Builder) -> None:
    x = b.leaf("x", (b.rng.randint(1, 3),))
    form = b.rng.randrange(5)
    if form == 0:
        b.emit(
            "def f(t):", f"    return {_function_of(b, 't')}", f"y = f({x}).sum()", "y.backward()"
        )
        b.show(f"{x}.grad")
    elif form == 1:
        b.emit(
            "@torch.no_grad()",
            "def update(t):",
            "    t -= 0.1 * t.grad",
            f"({x} ** 2).sum().backward()",
            f"update({x})",
        )
        b.show(x, f"{x}.requires_grad")
    elif form == 2:
        b.emit(
            "try:",
            f"    ({x} * 2).backward()",
            "except RuntimeError as e:",
            "    print('caught', e)",
        )
    elif form == 3:
        b.emit("i = 0", "while i < 3:", f"    ({x} * i).sum().backward()", "    i += 1")
        b.show(f"{x}.grad")
    else:
        b.emit(
            f"ys = [{x} * k for k in range(3)]",
            "total = sum(y.sum() for y in ys)",
            "total.backward()",
        )
        b.show(f"{x}.grad", "[y.shape for y in ys]")
