import torch
import torch.nn.functional as F
x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0], requires_grad=True)
r1 = torch.relu(x)
r2 = F.relu(x)
r3 = x.relu()
s = torch.sigmoid(x)
t = torch.tanh(x)
print(r1, r2, r3, sep="\n")
print(s)
print(t)
(r1 + s + t).sum().backward()
print(x.grad)
