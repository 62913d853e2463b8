import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 1
y.add_(1)
print(y)
y.mul_(2)
print(y)
y.backward(torch.tensor([1.0, 1.0]))
print(x.grad)
a = torch.tensor([1.0, 2.0, 3.0])
a += 1
a[0] = 10.0
a *= 2
print(a)
