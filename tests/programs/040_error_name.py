import torch
x = torch.tensor([1.0])
print(x)
print(z)
