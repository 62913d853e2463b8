import torch
x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
y = (x * x).sum()
print(y)
y.backward()
print(x.grad)
print(x.grad.dtype)
l = torch.tensor([1, 2, 3])
print(l * 2, l.dtype, l.sum())
