import torch
l = torch.tensor([1, 2, 3])
f = l.float()
print(f, f.dtype)
print(f.double())
print(torch.tensor([1.7, -2.2]).long())
