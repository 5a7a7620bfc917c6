"""Side-by-side training benchmark: torchdiffeq and NodeDsl on Chen et al.'s spiral demo, in one run, interleaved.

Workload (torchdiffeq's examples/ode_demo.py): dy/dt = MLP(y^3), MLP 2 -> 50 -> tanh -> 2, trained on 1000 points of the
true spiral dy/dt = y^3 A on [0, 25] with batches of 20 windows of 10 points (window times t[:10], as the demo), L1 loss,
RMSprop lr 1e-3. Both sides start from the same weights (normal std 0.1, zero biases, as the demo) and draw the same
windows in every iteration, so their solvers see the same problems. One thread on both sides.

For each run (default 3) and each configuration (rk4 | dopri5) x (direct | backsolve) x (float32 | float64) it trains
`--warmup` + `--iterations` steps on each side (alternating which side goes first) and records seconds per timed
iteration, mean forward and backward NFE per timed iteration, the last training loss and the test L1 (a solve from y0
over all 1000 points with the same solver, against the truth). NodeDsl runs in a child process
(bench/SideBySide/NodeDsl.SideBySide, the generated DSL model through Ode.Solve) that answers one JSON line per
configuration. Writes side_by_side.csv (one row per run, configuration and side) and side_by_side.md (ranges over
the runs, speed-up = torchdiffeq time / NodeDsl time per run) to --out.

Usage (see bench/README.md, "Side by side with torchdiffeq"):
    dotnet build bench/SideBySide -c Release
    PYTHONPATH=/path/to/torchdiffeq python3 bench/SideBySide/side_by_side.py --out out/side-by-side
"""
import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
import warnings

import torch
import torchdiffeq
from torchdiffeq import odeint, odeint_adjoint

POINTS, END_TIME, BATCH, WINDOW = 1000, 25.0, 20, 10
TRUE_A = [[-0.1, 2.0], [-2.0, -0.1]]
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_DRIVER = os.path.join(REPO, "artifacts", "bin", "NodeDsl.SideBySide", "release", "NodeDsl.SideBySide.dll")


class Counted(torch.nn.Module):
    """Counts evaluations of the wrapped vector field (torchdiffeq calls it once per stage, also in its adjoint)."""

    def __init__(self, f):
        super().__init__()
        self.f = f
        self.nfe = 0
        self.trace = False

    def forward(self, t, y):
        self.nfe += 1
        return self.f(t, y)

    # torchdiffeq >= 0.2 calls these on the vector field of adaptive solvers (used by --trace-steps).
    def callback_accept_step(self, t0, y0, dt):
        if self.trace:
            print(f"  accept |h|={abs(dt.item()):.5f}", file=sys.stderr)

    def callback_reject_step(self, t0, y0, dt):
        if self.trace:
            print(f"  reject |h|={abs(dt.item()):.5f}", file=sys.stderr)


class TrueSpiral(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("a", torch.tensor(TRUE_A, dtype=torch.float64))

    def forward(self, t, y):
        return y.pow(3).matmul(self.a)


class CubicMlp(torch.nn.Module):
    """The demo's ODEFunc: Linear(2, 50), Tanh, Linear(50, 2) applied to y^3."""

    def __init__(self, weights, dtype):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(2, 50), torch.nn.Tanh(), torch.nn.Linear(50, 2))
        with torch.no_grad():
            for layer, (w, b) in zip((self.net[0], self.net[2]), (("w1", "b1"), ("w2", "b2"))):
                layer.weight.copy_(torch.tensor(weights[w], dtype=torch.float64))
                layer.bias.copy_(torch.tensor(weights[b], dtype=torch.float64))
        self.to(dtype)

    def forward(self, t, y):
        return self.net(y.pow(3))


def make_setup(iterations, seed):
    """Truth, per-iteration window starts and initial weights, shared by both sides."""
    ts = torch.linspace(0, END_TIME, POINTS, dtype=torch.float64)
    with torch.no_grad():
        truth = odeint(TrueSpiral(), torch.tensor([[2.0, 0.0]], dtype=torch.float64), ts, rtol=1e-10, atol=1e-12,
                       method="dopri5").squeeze(1)
    generator = torch.Generator().manual_seed(seed)
    # The demo draws 20 distinct window starts per iteration (np.random.choice without replacement).
    starts = [torch.randperm(POINTS - WINDOW, generator=generator)[:BATCH].tolist() for _ in range(iterations)]
    torch.manual_seed(seed)
    w1 = torch.empty(50, 2, dtype=torch.float64).normal_(0, 0.1)
    w2 = torch.empty(2, 50, dtype=torch.float64).normal_(0, 0.1)
    weights = {"w1": w1.tolist(), "b1": [0.0] * 50, "w2": w2.tolist(), "b2": [0.0] * 2}
    return {"times": ts.tolist(), "truth": truth.tolist(), "starts": starts, "weights": weights}


def solver_options(config):
    if config["solver"] == "rk4":
        return {"method": "rk4", "options": {"step_size": END_TIME / (POINTS - 1)}}
    return {"method": config["solver"], "rtol": config["rtol"], "atol": config["atol"]}


def run_torchdiffeq(setup, config):
    dtype = torch.float32 if config["dtype"] == "float32" else torch.float64
    ts = torch.tensor(setup["times"], dtype=dtype)
    truth = torch.tensor(setup["truth"], dtype=dtype)
    batch_t = ts[:WINDOW]
    offsets = torch.arange(WINDOW).unsqueeze(1)
    f = Counted(CubicMlp(setup["weights"], dtype))
    optimizer = torch.optim.RMSprop(f.parameters(), lr=1e-3)
    solve = odeint if config["gradient"] == "direct" else odeint_adjoint
    kwargs = solver_options(config)
    warmup, iterations = config["warmup"], config["iterations"]
    fwd = bwd = 0
    loss_value = float("nan")
    elapsed = cpu = 0.0
    for i in range(warmup + iterations):
        index = torch.tensor(setup["starts"][i]).unsqueeze(0) + offsets  # [10, 20]
        batch_y = truth[index]  # [10, 20, 2]
        batch_y0 = batch_y[0]
        cpu_start = time.process_time()
        start = time.perf_counter()
        optimizer.zero_grad()
        f.nfe = 0
        f.trace = config["trace_steps"] and i == 0 and config["solver"] != "rk4"
        prediction = solve(f, batch_y0, batch_t, **kwargs)
        forward_nfe = f.nfe
        if f.trace:
            f.trace = False
            print(f"{config['solver']} {config['dtype']}: first solve, {forward_nfe} evaluations", file=sys.stderr)
        loss = (prediction - batch_y).abs().mean()
        loss.backward()
        optimizer.step()
        loss_value = loss.item()
        stop, cpu_stop = time.perf_counter(), time.process_time()
        if i >= warmup:
            elapsed += stop - start
            cpu += cpu_stop - cpu_start
            fwd += forward_nfe
            bwd += f.nfe - forward_nfe
    with torch.no_grad():
        prediction = odeint(f, truth[:1], ts, **kwargs).squeeze(1)
        test_l1 = (prediction - truth).abs().mean().item()
    return {"s_per_iter": elapsed / iterations, "cpu_s_per_iter": cpu / iterations, "fwd_nfe": fwd / iterations, "bwd_nfe": bwd / iterations,
            "loss": loss_value, "test_l1": test_l1}


class NodeDslDriver:
    """The NodeDsl side: a child process answering one JSON line per configuration."""

    def __init__(self, driver, setup_path, backend):
        self.process = subprocess.Popen(["dotnet", driver, "--setup", setup_path, "--backend", backend],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.banner = self._read()["banner"]

    def _read(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"NodeDsl driver ended (exit code {self.process.wait()}); see its stderr above.")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"NodeDsl driver: {answer['error']}")
        return answer

    def run(self, config):
        self.process.stdin.write(json.dumps(config) + "\n")
        return self._read()

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def spread(values, fmt):
    lo, hi = min(values), max(values)
    return fmt.format(lo) if fmt.format(lo) == fmt.format(hi) else f"{fmt.format(lo)}–{fmt.format(hi)}"


def write_outputs(out, rows, configs, header):
    with open(os.path.join(out, "side_by_side.csv"), "w", newline="") as handle:
        fields = ["run", "solver", "gradient", "dtype", "side", "s_per_iter", "cpu_s_per_iter", "fwd_nfe", "bwd_nfe", "loss", "test_l1"]
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row[k] for k in fields})
    lines = [header, "",
             "Wall: ms per timed iteration; CPU: the process's CPU ms per iteration (steadier on a loaded machine). "
             "Speed-up = torchdiffeq / NodeDsl per run, range over the runs. NFE fwd / bwd: mean per iteration.", "",
             "| solver | gradient | dtype | torchdiffeq wall | NodeDsl wall | speed-up wall | torchdiffeq CPU "
             "| NodeDsl CPU | speed-up CPU | NFE torchdiffeq | NFE NodeDsl | test L1 torchdiffeq | test L1 NodeDsl |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|"]
    for config in configs:
        key = (config["solver"], config["gradient"], config["dtype"])
        mine = {side: sorted((r for r in rows if (r["solver"], r["gradient"], r["dtype"]) == key and r["side"] == side),
                             key=lambda r: r["run"]) for side in ("torchdiffeq", "NodeDsl")}
        td, nd = mine["torchdiffeq"], mine["NodeDsl"]

        def ms(side, field):
            return spread([1e3 * r[field] for r in side], "{:.2f}")

        def ratio(field):
            return spread([a[field] / b[field] for a, b in zip(td, nd)], "{:.2f}") + "×"

        def nfe(side):
            return (spread([r["fwd_nfe"] for r in side], "{:.1f}") + " / "
                    + spread([r["bwd_nfe"] for r in side], "{:.1f}"))

        lines.append(f"| {key[0]} | {key[1]} | {key[2]} | {ms(td, 's_per_iter')} | {ms(nd, 's_per_iter')} "
                     f"| {ratio('s_per_iter')} | {ms(td, 'cpu_s_per_iter')} | {ms(nd, 'cpu_s_per_iter')} "
                     f"| {ratio('cpu_s_per_iter')} | {nfe(td)} | {nfe(nd)} "
                     f"| {spread([r['test_l1'] for r in td], '{:.3g}')} | {spread([r['test_l1'] for r in nd], '{:.3g}')} |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "side_by_side.md"), "w") as handle:
        handle.write(text)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="out/side-by-side", help="output folder (CSV, markdown, setup)")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs of every configuration")
    parser.add_argument("--iterations", type=int, default=100, help="timed training iterations per configuration")
    parser.add_argument("--warmup", type=int, default=10, help="untimed training iterations before the timed ones")
    parser.add_argument("--solvers", default="rk4,dopri5")
    parser.add_argument("--gradients", default="direct,backsolve")
    parser.add_argument("--dtypes", default="float32,float64")
    parser.add_argument("--rtol", type=float, default=1e-7, help="dopri5 rtol (the demo's default, odeint's default)")
    parser.add_argument("--atol", type=float, default=1e-9, help="dopri5 atol (the demo's default)")
    parser.add_argument("--controller", default="default",
                        help="NodeDsl's step-size controller for dopri5: its default (PI.3.4), PI.3.4 given explicitly, "
                             "the I controller until the first error norm >= 0.1 then PI.3.4 (StartupErrorNorm 0.1; startup:X for X), or "
                             "the I controller throughout as torchdiffeq's (a --driver built before 2026-11-30 knows only "
                             "pi and i)")
    parser.add_argument("--trace-steps", action="store_true", help="print the step decisions of each side's first solve")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", default="torch", choices=["torch", "native"], help="NodeDsl backend")
    parser.add_argument("--driver", default=DEFAULT_DRIVER, help="NodeDsl.SideBySide.dll (built with dotnet build)")
    args = parser.parse_args()
    if not os.path.exists(args.driver):
        sys.exit(f"{args.driver} not found: build it first with `dotnet build bench/SideBySide -c Release`.")
    torch.set_num_threads(1)
    # Counted defines torchdiffeq's step callbacks (for --trace-steps); fixed-grid solvers warn that they ignore them.
    warnings.filterwarnings("ignore", message="Solver .* does not support callbacks")
    os.makedirs(args.out, exist_ok=True)
    setup = make_setup(args.warmup + args.iterations, args.seed)
    setup_path = os.path.abspath(os.path.join(args.out, "setup.json"))
    with open(setup_path, "w") as handle:
        json.dump(setup, handle)
    configs = [{"solver": s, "gradient": g, "dtype": d, "rtol": args.rtol, "atol": args.atol,
                "warmup": args.warmup, "iterations": args.iterations,
                "controller": args.controller, "trace_steps": args.trace_steps}
               for s in args.solvers.split(",") for g in args.gradients.split(",") for d in args.dtypes.split(",")]
    node = NodeDslDriver(args.driver, setup_path, args.backend)
    header = (f"torchdiffeq {torchdiffeq.__version__} on torch {torch.__version__} vs {node.banner}; "
              f"{platform.processor() or platform.machine()}, 1 thread each; {args.runs} interleaved runs of "
              f"{args.warmup} + {args.iterations} iterations; dopri5 rtol {args.rtol:g} atol {args.atol:g}; "
              f"NodeDsl controller {args.controller}; rk4 step 25/999; started {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(header, flush=True)
    rows = []
    try:
        for run in range(1, args.runs + 1):
            for index, config in enumerate(configs):
                sides = [("torchdiffeq", lambda c: run_torchdiffeq(setup, c)), ("NodeDsl", node.run)]
                if (run + index) % 2 == 0:
                    sides.reverse()  # alternate which side goes first, so drifting load hits both alike
                for side, fn in sides:
                    result = fn(config)
                    row = {"run": run, "side": side, **{k: config[k] for k in ("solver", "gradient", "dtype")}, **result}
                    rows.append(row)
                    print(f"run {run} {config['solver']:6} {config['gradient']:9} {config['dtype']} {side:11} "
                          f"{1e3 * result['s_per_iter']:8.2f} ms/iter ({1e3 * result['cpu_s_per_iter']:.2f} CPU)  NFE {result['fwd_nfe']:.1f}/{result['bwd_nfe']:.1f}  "
                          f"test L1 {result['test_l1']:.4g}", flush=True)
    finally:
        node.close()
    print(write_outputs(args.out, rows, configs, header))


if __name__ == "__main__":
    main()
