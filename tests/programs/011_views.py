import torch
a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
r = a.reshape(3, 2)
v = a.view(6)
f = a.flatten()
print(r, v, f, sep="\n")
t = a.t()
T = a.T
p = a.permute(1, 0)
tr = a.transpose(0, 1)
print(t.grad_fn, T.grad_fn, p.grad_fn, tr.grad_fn)
(r.sum() + v.sum() + (t * 2).sum() + T.sum() + tr.sum()).backward()
print(a.grad)
print(r.shape, t.shape)
