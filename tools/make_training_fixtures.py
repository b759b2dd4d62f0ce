"""Reference numbers for CnnLens's training code, computed with PyTorch (float32).

Writes tests/CnnLens.Tests/Fixtures/training/*.json:
  loss.json     CrossEntropyLoss (mean) and its gradient for a 3x4 batch of logits
  sgd.json      three torch.optim.SGD steps (momentum 0.9, weight decay 0.01) on given gradients
  adam.json     three torch.optim.Adam steps (weight decay 0.01) on given gradients
  tinyvgg_sgd.json  two SGD steps of tiny-vgg (2 channels, 3x20x20 input, 3 classes, batch 4):
                initial parameters, loss per step, first-step gradients, final parameters
  resnet_adam.json  the same for the small ResNet (2 base channels, 1x8x8 input) with Adam and
                BatchNorm in training mode; running statistics follow the ONNX convention
                (running = 0.9 running + 0.1 batch, batch variance biased), computed from hooks,
                because PyTorch itself stores the unbiased variance.

Run: python3 tools/make_training_fixtures.py   (needs torch)
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "CnnLens.Tests", "Fixtures", "training")


def flat(t):
    return [float(f"{v:.9g}") for v in t.detach().reshape(-1).tolist()]


def write(name, data):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(data, f, indent=None, separators=(",", ":"))


def loss_fixture():
    g = torch.Generator().manual_seed(1)
    logits = (torch.randn(3, 4, generator=g) * 3).requires_grad_()
    labels = torch.tensor([2, 0, 3])
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    write("loss.json", {"logits": flat(logits), "labels": labels.tolist(), "loss": float(loss), "gradient": flat(logits.grad)})


def optimizer_fixture(name, make):
    g = torch.Generator().manual_seed(2)
    p = nn.Parameter(torch.randn(5, generator=g))
    initial = flat(p)
    opt = make([p])
    grads, steps = [], []
    for _ in range(3):
        grad = torch.randn(5, generator=g)
        p.grad = grad.clone()
        opt.step()
        grads.append(flat(grad))
        steps.append(flat(p))
    write(name, {"initial": initial, "gradients": grads, "steps": steps})


class TinyVgg(nn.Module):
    def __init__(self, channels, width, classes, flat_features):
        super().__init__()
        self.conv1_1 = nn.Conv2d(channels, width, 3)
        self.conv1_2 = nn.Conv2d(width, width, 3)
        self.conv2_1 = nn.Conv2d(width, width, 3)
        self.conv2_2 = nn.Conv2d(width, width, 3)
        self.fc = nn.Linear(flat_features, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1_2(F.relu(self.conv1_1(x)))), 2)
        x = F.max_pool2d(F.relu(self.conv2_2(F.relu(self.conv2_1(x)))), 2)
        return self.fc(torch.flatten(x, 1))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet(nn.Module):
    def __init__(self, channels, width, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.layer1 = Block(width, width, 1)
        self.layer2 = Block(width, width * 2, 2)
        self.layer3 = Block(width * 2, width * 4, 2)
        self.fc = nn.Linear(width * 4, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def network_fixture(name, model, shape, make_optimizer, lr):
    torch.manual_seed(3)
    # Every parameter perturbed away from its init so BatchNorm's scale and shift are exercised too.
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    onnx_running = {k: v.clone() for k, v in model.state_dict().items() if "running" in k}
    hooks = []
    for module_name, module in model.named_modules():
        if isinstance(module, nn.BatchNorm2d):
            def hook(mod, inputs, _output, prefix=module_name):
                x = inputs[0].detach()
                mean = x.mean(dim=(0, 2, 3))
                var = x.var(dim=(0, 2, 3), unbiased=False)
                onnx_running[prefix + ".running_mean"] = 0.9 * onnx_running[prefix + ".running_mean"] + 0.1 * mean
                onnx_running[prefix + ".running_var"] = 0.9 * onnx_running[prefix + ".running_var"] + 0.1 * var
            hooks.append(module.register_forward_hook(hook))
    initial = {k: flat(v) for k, v in model.state_dict().items() if "num_batches" not in k}
    opt = make_optimizer(model.parameters())
    g = torch.Generator().manual_seed(4)
    batches, losses, first_gradients = [], [], None
    model.train()
    for step in range(2):
        x = torch.rand(*shape, generator=g)
        labels = torch.randint(0, 3, (shape[0],), generator=g)
        opt.zero_grad()
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        if step == 0:
            first_gradients = {k: flat(p.grad) for k, p in model.named_parameters()}
        for p in model.parameters():
            p.grad = p.grad.clone()
        opt.step()
        batches.append({"input": flat(x), "shape": list(shape), "labels": labels.tolist()})
        losses.append(float(loss))
    final = {k: flat(v) for k, v in model.state_dict().items() if "num_batches" not in k and "running" not in k}
    for k, v in onnx_running.items():
        final[k] = flat(v)
    for h in hooks:
        h.remove()
    write(name, {"learning_rate": lr, "initial": initial, "batches": batches, "losses": losses,
                 "first_gradients": first_gradients, "final": final})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    loss_fixture()
    optimizer_fixture("sgd.json", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01))
    optimizer_fixture("adam.json", lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.01))
    torch.manual_seed(5)
    network_fixture("tinyvgg_sgd.json", TinyVgg(3, 2, 3, 8), (4, 3, 20, 20),
                    lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=5e-4), 0.05)
    torch.manual_seed(6)
    network_fixture("resnet_adam.json", ResNet(1, 2, 3), (4, 1, 8, 8),
                    lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=1e-4), 0.01)
