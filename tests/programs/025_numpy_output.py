import torch
import numpy as np
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
a = x.numpy()
print(a)
print(a.dtype, a.shape)
print(x.tolist(), x.sum().item())
print(torch.tensor([1, 2, 3]).numpy())
print(np.array([1.5, 2.5]))
y = torch.tensor([1.0, 2.0], requires_grad=True)
print(y.detach().numpy())
print(repr(a))
