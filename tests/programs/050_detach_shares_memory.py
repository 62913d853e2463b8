import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
d = x.detach()
d.zero_()
print(x)
print(d.requires_grad, d.is_leaf)
y = x.clone()
print(y.grad_fn)
