import torch
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
print(a.requires_grad, b.requires_grad)
print(a.is_leaf, b.is_leaf)
c = a * b
print(c.requires_grad, c.is_leaf)
print(a.grad_fn, b.grad_fn)
print(c.grad_fn.name())
b.requires_grad_(True)
print(b)
d = torch.ones(2, requires_grad=True)
print(d)
e = torch.zeros(2)
e.requires_grad = True
print(e.requires_grad, e.is_leaf)
