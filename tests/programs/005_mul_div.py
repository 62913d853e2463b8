import torch
a = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
b = torch.tensor([3.0, 5.0, 8.0], requires_grad=True)
print(a * b, a * 2, a * a)
print(a / b)
print(a / 2)
y = 2 / a
print(y)
print(y.grad_fn, y.grad_fn.next_functions[0][0].name())
(a * b + a / b + 2 / a).sum().backward()
print(a.grad)
print(b.grad)
