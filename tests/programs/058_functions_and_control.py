import math
import torch

# a polynomial fitted by gradient descent, written with functions, a class, and Python's control flow
xs = torch.linspace(-1.0, 1.0, 5)
ys = torch.tensor([math.sin(v) for v in [-1.0, -0.5, 0.0, 0.5, 1.0]])


class Cubic:
    """y = a + b·x + c·x² + d·x³"""

    def __init__(self):
        self.coefficients = [torch.tensor(0.1 * (k + 1), requires_grad=True) for k in range(4)]

    def __call__(self, x):
        return sum(c * x**k for k, c in enumerate(self.coefficients))

    def __repr__(self):
        terms = ", ".join(f"{c.item():.4f}" for c in self.coefficients)
        return f"Cubic({terms})"


def mse(prediction, target):
    return ((prediction - target) ** 2).mean()


@torch.no_grad()
def sgd(parameters, lr=0.5):
    for p in parameters:
        p -= lr * p.grad
        p.grad = None


model = Cubic()
history = {}
step = 0
while step < 30:
    loss = mse(model(xs), ys)
    loss.backward()
    sgd(model.coefficients)
    if step % 10 == 0:
        history[step] = round(loss.item(), 5)
    step += 1
print(model)
print(history, f"{loss:.5f}")
print([k for k, v in history.items() if v < 0.1], max(history.values()) > min(history.values()))

try:
    mse(model(xs), torch.ones(3))
except RuntimeError as error:
    print("shape mismatch:", str(error).split(" at ")[0])
finally:
    print("grad enabled:", torch.is_grad_enabled())
