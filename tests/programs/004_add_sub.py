import torch
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
for y in [a + b, a + 2, 2 + a, a - b, a - 2, 2 - a]:
    print(y, y.grad_fn.next_functions)
z = (a + b).sum() + (a - b).sum() + (2 - a).sum()
z.backward()
print(a.grad)
print(b.grad)
