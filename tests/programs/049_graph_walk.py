import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x + 2) * (x - 2)
s = y.sum()
node = s.grad_fn
print(node.name())
for child, index in node.next_functions:
    print(child.name(), index)
    for grandchild, k in child.next_functions:
        print("  ", grandchild.name() if grandchild is not None else None, k)
print(len(y.grad_fn.next_functions))
