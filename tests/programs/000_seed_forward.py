import torch

# 역전파를 위해서 X에 대한 gradient 계산 형성
x = torch.FloatTensor([[1, 2],
                        [3, 4]]).requires_grad_(True)

# 연산트리 자동생성 
x1 = x + 2      # 모든 원소에 +2
x2 = x - 2      # 모든 원소에 -2
x3 = x1 * x2    # (x+2) 와 (x-2) 텐서를 원소별로 곱함
y = x3.sum()    # 모든 원소를 더해 스칼라값으로 변환

print(x1)
print(x2)
print(x3)
print(y)

# 자동 미분을 통한 역전파 
y.backward()    # 스칼라값 y를 기준으로 연결된 모든 텐서의 gradient를 자동으로 계산 

# 역전파 이후 x 에 대한 손실함수의 기울기(미분값) 확인
print(x.grad) # y에 대해 계산된 x의 gradient(∂y/∂x) 출력

print(x) # 텐서값은 변하지않음. 역전파 시 기울기는 계산하지만 값을 수정하지는 않는다

x3.numpy() # RuntimeError # 계산 그래프가 연결된 텐서는 numpy변환을 직접 허용하지 않는다.
