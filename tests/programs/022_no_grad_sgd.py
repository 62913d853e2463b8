import torch
w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
loss = (w * w).sum()
loss.backward()
lr = 0.1
with torch.no_grad():
    w -= lr * w.grad
    z = w * 2
print(w)
print(z, z.requires_grad, z.grad_fn)
w.grad.zero_()
print(w.grad)
with torch.no_grad():
    print(w.numpy())
