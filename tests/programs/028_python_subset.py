import torch
values = [1, 2, 3]
total = 0
for i, v in enumerate(values):
    total += v * i
a, b = 3, 4.5
c = [a, b]
c.append(7)
print(total, a, b, c, len(c), sum(c), min(c), max(c))
print(f"{b:.2f}|{a!r}|{'text'}", "x", sep="-", end="!\n")
if total > 5 and not a == 2:
    print("big")
else:
    print("small")
t = torch.tensor([1.0, 2.0])
print(float(t.sum()), int(t[1]), round(2.567, 2), abs(-3))
for pair in zip([1, 2], ["a", "b"]):
    print(pair)
print(list(range(3)), tuple(range(2, 5)), 7 // 2, 7 % 3, 2 ** 10, 1 < 2 < 3)
x = 5
del x
print("done" if total else "never")
print(sorted([3, 1, 2]), list(reversed([1, 2])), any([0, 1]), all([1, 0]))
