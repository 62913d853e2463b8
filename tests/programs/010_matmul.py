import torch
A = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
B = torch.tensor([[0.5, -1.0], [2.0, 1.0]], requires_grad=True)
v = torch.tensor([1.0, -1.0], requires_grad=True)
w = torch.tensor([2.0, 3.0], requires_grad=True)
mm = A @ B
print(mm)
print(torch.mm(A, B).grad_fn, torch.matmul(A, B).grad_fn)
mv = A @ v
print(mv)
d = v @ w
print(d, torch.dot(v, w))
(mm.sum() + mv.sum() + d).backward()
print(A.grad)
print(B.grad)
print(v.grad)
print(w.grad)
