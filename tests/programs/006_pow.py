import torch
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([2.0, 1.0, 0.5], requires_grad=True)
p0 = a ** 2
p1 = a ** b
p2 = 2 ** a
p3 = a.pow(3)
print(p0, p1, p2, p3, sep="\n")
(p0 + p1 + p2 + p3).sum().backward()
print(a.grad)
print(b.grad)
