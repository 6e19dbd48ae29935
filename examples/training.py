# A tensor script as a tutorial writes it: a model class, a training loop, f-strings. Run
# "Gradient Lens: Inspect Gradients": each line shows its last value, the loss after the loop,
# and the graph panel draws the last step's graph with every parameter's gradient.
import torch
import torch.nn as nn

torch.manual_seed(0)


class TinyNet(nn.Module):
    def __init__(self, hidden=8):
        super().__init__()
        self.layer1 = nn.Linear(2, hidden)
        self.layer2 = nn.Linear(hidden, 1)

    def forward(self, x):
        return self.layer2(torch.tanh(self.layer1(x)))


# XOR: not linearly separable, so the hidden layer has work to do.
x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])

model = TinyNet()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
loss_fn = nn.MSELoss()

for step in range(200):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    if step % 50 == 0:
        print(f"step {step:3d}: loss {loss.item():.4f}")

predictions = [round(p) for p in model(x).squeeze(1).tolist()]
print("predictions", predictions)
