import torch
a = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
c = a.clamp(0.0, 1.0)
print(c)
c.sum().backward()
print(a.grad)
