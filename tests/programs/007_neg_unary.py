import torch
a = torch.tensor([1.0, 4.0, 9.0], requires_grad=True)
for y in [-a, a.exp(), a.log(), a.sqrt(), a.abs(), a.sin(), a.cos(), torch.exp(a), torch.sqrt(a)]:
    print(y.grad_fn)
y = (-a).sum() + a.log().sum() + a.sqrt().sum() + a.abs().sum()
y.backward()
print(a.grad)
