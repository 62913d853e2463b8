import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
d = y.detach()
print(d, d.requires_grad, d.grad_fn)
d[0] = 100.0
print(y)
print(x.detach().numpy())
z = y.detach_()
print(z is y, y.requires_grad, y.is_leaf, y.grad_fn)
