import torch
print("before")
x = torch.tensor([1, 2], requires_grad=True)
