import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
y = h.sum()
y.backward()
print(h.grad)
print(h.is_leaf, h.requires_grad, x.grad)
print(x.data, x.grad.data)
x.data = torch.tensor([5.0, 6.0])
print(x)
