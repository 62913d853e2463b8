import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
h.retain_grad()
y = (h * h).sum()
y.backward()
print(h.grad)
print(h.retains_grad, x.retains_grad)
print(x.grad)
