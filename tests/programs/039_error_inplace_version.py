import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
a = x + 1
b = a.exp()
a.add_(1)
print(a)
b.sum().backward()
