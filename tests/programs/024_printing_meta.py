import torch
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = (x * 2).sum()
print(x.shape, x.size(), x.size(0), x.dtype, x.ndim, x.dim(), x.numel())
print(torch.float32, torch.float64, torch.int64)
print(torch.Size([2, 3]))
print(y.grad_fn)
print(y.grad_fn.next_functions)
print(y.grad_fn.next_functions[0][0].next_functions)
acc = y.grad_fn.next_functions[0][0].next_functions[0][0]
print(acc, acc.name())
print(acc.variable is x)
print((x + 1).grad_fn.next_functions)
print(torch.tensor([1, 2]).dtype, len(x.shape), list(x.shape))
