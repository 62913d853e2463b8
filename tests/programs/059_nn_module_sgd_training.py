import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(3, 8)
        self.out = nn.Linear(8, 2)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


net = Net()
print(net)
x = torch.randn(16, 3)
target = torch.randint(0, 2, (16,))
optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
for epoch in range(20):
    optimizer.zero_grad()
    loss = F.cross_entropy(net(x), target)
    loss.backward()
    optimizer.step()
    if epoch % 5 == 0:
        print(epoch, loss.item(), loss)
for name, p in net.named_parameters():
    print(name, p.shape, p.grad.norm())
print(net.out.weight)
print(net.out.bias)
with torch.no_grad():
    print(net(x[:4]).argmax(dim=1))
regression = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
data = torch.rand(10, 2)
labels = data.sum(dim=1, keepdim=True)
opt = torch.optim.SGD(regression.parameters(), lr=0.05)
criterion = nn.MSELoss()
for step in range(30):
    opt.zero_grad()
    loss = criterion(regression(data), labels)
    loss.backward()
    opt.step()
print(loss)
print(regression[0].weight)
