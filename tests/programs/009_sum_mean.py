import torch
a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
s0 = a.sum()
s1 = a.sum(0)
s2 = a.sum(dim=(0, 1))
m0 = a.mean()
m1 = a.mean(1)
for t in [s0, s1, s2, m0, m1]:
    print(t)
(s1.sum() + m1.sum() + m0).backward()
print(a.grad)
print(torch.tensor([1.0, 2.0]).mean())
