import torch
a = torch.tensor([[1.0, 5.0], [7.0, 2.0]])
print(a.argmax(), a.argmax(1))
