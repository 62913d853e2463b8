import torch
print(torch.linspace(0, 1, 5))
print(torch.linspace(-1.0, 1.0, steps=3))
