import torch
print(torch.tensor(1.5))
print(torch.tensor([1e-5, 1e5, 3.0]))
print(torch.tensor([[1.0, -0.0, -10.0], [0.5, 2.25, 100.0]]))
print(torch.tensor([2.0, 4.0], dtype=torch.float64, requires_grad=True) * 2)
print(torch.tensor([0, 1, 2, 3]))
print(torch.tensor([0.1, 0.2, 0.3]))
print(torch.tensor([[1.0, 2.0, 3.0]]).mean(), torch.tensor([1.0, 2.0]).mean(0))
print(torch.tensor([123456.0, 0.001]))
