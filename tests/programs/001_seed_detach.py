import torch

x = torch.FloatTensor([[1, 2],
                        [3, 4]]).requires_grad_(True)
x1 = x + 2      # 모든 원소에 +2
x2 = x - 2      # 모든 원소에 -2
x3 = x1 * x2    # (x+2) 와 (x-2) 텐서를 원소별로 곱함
y = x3.sum()
y.backward()

x3.detach_().numpy() # detach_ == inplace 로 계산 그래프 분리 
print(x3.detach_().numpy())

x = torch.FloatTensor([[1, 2],
                        [3, 4]]).requires_grad_(True)
x1 = x + 2      # 모든 원소에 +2
x2 = x - 2      # 모든 원소에 -2
x3 = x1 * x2    # (x+2) 와 (x-2) 텐서를 원소별로 곱함

print(x3) # autograd 연결 

x3.detach_()

print(x3) # autograd 연결 해제

print(x3.numpy)
