import torch
params = [torch.tensor([1.0], requires_grad=True), torch.tensor([2.0], requires_grad=True)]
loss = params[0] * params[1] + params[1] ** 2
loss.backward()
for p in params:
    print(p.grad)
print(params)
print(len(params), params[1].item() * 2)
with torch.no_grad():
    for p in params:
        p -= 0.5 * p.grad
print(params)
