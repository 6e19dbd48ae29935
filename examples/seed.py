import torch

x = torch.tensor(2.0, requires_grad=True)
print(x)
print(x.grad)  # no gradient yet

y = 2 * x**4 + x**3 + 3 * x**2 + 5 * x + 1
y.backward()
print(x.grad)
