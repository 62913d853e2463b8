import torch
values = [1, 2, 3]
print(values[1])
print(values[5])
