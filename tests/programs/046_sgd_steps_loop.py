import torch
x = torch.tensor([3.0, -1.0], requires_grad=True)
for i in range(5):
    y = (x ** 2).sum()
    y.backward()
    with torch.no_grad():
        x -= 0.25 * x.grad
    x.grad = None
    print(i, x)
