"""torchdiffeq yardstick for NodeDsl's bench suite: the same workloads as
bench/NodeDsl.Benchmarks/ForwardSolveBenchmarks.cs and TrainingStepBenchmarks.cs, run with torchdiffeq on PyTorch.

Usage (torchdiffeq and torch importable; see README.md in this folder):
    python3 bench/torchdiffeq/spiral_bench.py [--steps 60] [--solves 20]
Prints markdown tables: forward solve (ms per solve, NFE) and training step (ms per step, NFE fwd/bwd).
"""
import argparse
import statistics
import time

import torch
from torchdiffeq import odeint, odeint_adjoint

POINTS, END_TIME = 1000, 25.0
BATCH, WINDOW = 20, 10
SPACING = END_TIME / (POINTS - 1)


class Counted(torch.nn.Module):
    """Counts evaluations of the wrapped vector field."""

    def __init__(self, f):
        super().__init__()
        self.f = f
        self.nfe = 0

    def forward(self, t, y):
        self.nfe += 1
        return self.f(t, y)


class TrueSpiral(torch.nn.Module):
    """dy/dt = y^3 A, A = [[-0.1, 2.0], [-2.0, -0.1]] (row-vector convention)."""

    def __init__(self, dtype):
        super().__init__()
        self.register_buffer("a", torch.tensor([[-0.1, 2.0], [-2.0, -0.1]], dtype=dtype))

    def forward(self, t, y):
        return y.pow(3).matmul(self.a)


class CubicMlp(torch.nn.Module):
    """MLP 2 -> 50 -> tanh -> 2 applied to y^3 (torchdiffeq's ode_demo ODEFunc)."""

    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(2, 50), torch.nn.Tanh(), torch.nn.Linear(50, 2))

    def forward(self, t, y):
        return self.net(y.pow(3))


def solver_options(method, dtype):
    if method in ("rk4", "euler", "midpoint"):
        return {}, {"step_size": SPACING}
    tol = {"rtol": 1e-7, "atol": 1e-9} if dtype == torch.float64 else {"rtol": 1e-5, "atol": 1e-7}
    return tol, None


def median_ms(fn, repeats, warmup=3):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def forward_solves(repeats):
    rows = []
    for dtype in (torch.float32, torch.float64):
        y0 = torch.tensor([[2.0, 0.0]], dtype=dtype)
        ts = torch.linspace(0, END_TIME, POINTS, dtype=dtype)
        for method in ("rk4", "bosh3", "dopri5"):
            tol, options = solver_options(method, dtype)
            f = Counted(TrueSpiral(dtype))
            with torch.no_grad():
                ms = median_ms(lambda: odeint(f, y0, ts, method=method, options=options, **tol), repeats)
                f.nfe = 0
                odeint(f, y0, ts, method=method, options=options, **tol)
            rows.append((method, str(dtype).replace("torch.", ""), ms, f.nfe))
    return rows


def training_data(dtype):
    with torch.no_grad():
        ts = torch.linspace(0, END_TIME, POINTS, dtype=dtype)
        truth = odeint(TrueSpiral(dtype), torch.tensor([[2.0, 0.0]], dtype=dtype), ts, rtol=1e-10, atol=1e-12,
                       method="dopri5").squeeze(1)
        generator = torch.Generator().manual_seed(42)
        starts = torch.randint(0, POINTS - WINDOW, (BATCH,), generator=generator)
        index = starts.unsqueeze(0) + torch.arange(WINDOW).unsqueeze(1)  # [10, 20]
        target = truth.index_select(0, index.flatten()).reshape(WINDOW, BATCH, 2)
        return target[0].clone(), ts[:WINDOW].clone(), target


def training_steps(repeats):
    dtype = torch.float64
    y0, ts, target = training_data(dtype)
    rows = []
    for method in ("dopri5", "rk4"):
        for gradient in ("direct", "adjoint"):
            torch.manual_seed(0)
            f = Counted(CubicMlp().to(dtype))
            optimizer = torch.optim.Adam(f.parameters(), lr=1e-3)
            tol, options = solver_options(method, dtype)
            solve = odeint if gradient == "direct" else odeint_adjoint
            nfe = {}

            def step():
                optimizer.zero_grad()
                f.nfe = 0
                prediction = solve(f, y0, ts, method=method, options=options, **tol)
                nfe["fwd"] = f.nfe
                loss = (prediction - target).abs().mean()
                loss.backward()
                nfe["bwd"] = f.nfe - nfe["fwd"]
                optimizer.step()
                return loss.item()

            ms = median_ms(step, repeats)
            rows.append((method, gradient, ms, f"{nfe['fwd']}/{nfe['bwd']}"))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=60, help="timed training steps per configuration")
    parser.add_argument("--solves", type=int, default=20, help="timed forward solves per configuration")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, torchdiffeq {__import__('torchdiffeq').__version__}, 1 thread")
    print("\n| Solver | DType | Median | NFE |\n|---|---|---:|---:|")
    for method, dtype, ms, nfe in forward_solves(args.solves):
        print(f"| {method} | {dtype} | {ms:.1f} ms | {nfe} |")
    print("\n| Solver | Gradient | Median | NFE fwd/bwd |\n|---|---|---:|---|")
    for method, gradient, ms, nfe in training_steps(args.steps):
        print(f"| {method} | {gradient} | {ms:.2f} ms | {nfe} |")


if __name__ == "__main__":
    main()
