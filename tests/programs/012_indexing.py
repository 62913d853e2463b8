import torch
a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
s0 = a[0]
s1 = a[:, 1]
s2 = a[0, 1]
sl = a[0:1]
ix = a[[0, 1]]
mk = a[a > 2]
print(s0, s1, s2, sl, ix, mk, sep="\n")
print(s2.grad_fn, s2.grad_fn.next_functions)
print(mk.grad_fn)
(s0.sum() + s1.sum() + s2 + sl.sum() + ix.sum() + mk.sum()).backward()
print(a.grad)
