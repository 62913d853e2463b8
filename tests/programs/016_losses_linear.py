import torch
import torch.nn.functional as F
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
W = torch.tensor([[0.5, -0.5], [1.0, 0.0], [0.0, 1.0]], requires_grad=True)
b = torch.tensor([0.1, 0.2, 0.3], requires_grad=True)
out = F.linear(x, W, b)
print(out)
print(out.grad_fn, out.grad_fn.next_functions)
target = torch.tensor([[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]])
loss = F.mse_loss(out, target)
print(loss)
loss.backward()
print(W.grad)
print(b.grad)
