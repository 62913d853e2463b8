import torch
w = torch.tensor([1.0, 2.0], requires_grad=True)
v = w[0:1]
v.mul_(2)
