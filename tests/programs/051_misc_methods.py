import torch
a = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
print(a.sum(), a.mean().item())
print(a > 0)
print((a * 2).tolist())
print(a.max().item())
