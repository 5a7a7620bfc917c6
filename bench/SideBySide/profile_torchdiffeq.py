"""Where one training iteration of the side-by-side workload goes on the torchdiffeq side (the counterpart of the
NodeDsl driver's --profile, SpiralDemoProfile.cs): a stopwatch around each phase of the demo's loop, plus the solve's
parts alone. Median (min) of 7 rounds, microseconds per iteration, one thread.

    PYTHONPATH=/opt/torchdiffeq nice -n -5 /usr/bin/python3 bench/SideBySide/profile_torchdiffeq.py out/…/setup.json rk4 float64 40
"""
import json
import sys
import time

import torch
from torchdiffeq import odeint

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from side_by_side import WINDOW, CubicMlp, solver_options  # noqa: E402


def main():
    setup_path, solver, dtype_name, iterations = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    torch.set_num_threads(1)
    setup = json.load(open(setup_path))
    dtype = torch.float32 if dtype_name == "float32" else torch.float64
    ts = torch.tensor(setup["times"], dtype=dtype)
    truth = torch.tensor(setup["truth"], dtype=dtype)
    batch_t = ts[:WINDOW]
    offsets = torch.arange(WINDOW).unsqueeze(1)
    f = CubicMlp(setup["weights"], dtype)
    optimizer = torch.optim.RMSprop(f.parameters(), lr=1e-3)
    kwargs = solver_options({"solver": solver, "rtol": 1e-7, "atol": 1e-9})
    phases = ["zero_grad", "odeint", "loss", "backward", "optimizer.step", "item", "whole iteration"]
    parts = ["36 rates, graph", "36 rates, no graph", "36 rates + backward", "solve, no graph", "solve + loss + backward"]
    ptimes = {p: [] for p in phases}
    qtimes = {p: [] for p in parts}

    def batch(i):
        index = torch.tensor(setup["starts"][i % len(setup["starts"])]).unsqueeze(0) + offsets
        y = truth[index]
        return y[0], y

    def timed(body):
        start = time.perf_counter()
        for _ in range(iterations):
            body()
        return (time.perf_counter() - start) / iterations * 1e6

    for _ in range(7):
        sums = [0.0] * len(phases)
        for i in range(iterations):
            y0, target = batch(i)
            t0 = first = time.perf_counter()
            marks = []
            optimizer.zero_grad(); marks.append(time.perf_counter())
            prediction = odeint(f, y0, batch_t, **kwargs); marks.append(time.perf_counter())
            loss = (prediction - target).abs().mean(); marks.append(time.perf_counter())
            loss.backward(); marks.append(time.perf_counter())
            optimizer.step(); marks.append(time.perf_counter())
            loss.item(); marks.append(time.perf_counter())
            for p, m in enumerate(marks):
                sums[p] += (m - t0) * 1e6
                t0 = m
            sums[6] += (marks[-1] - first) * 1e6
        for p in range(len(phases)):
            ptimes[phases[p]].append(sums[p] / iterations)
        y0, target = batch(0)
        t = torch.tensor(0.0, dtype=dtype)

        def rates_graph():
            for _ in range(36):
                f(t, y0)

        def rates_no_graph():
            with torch.no_grad():
                rates_graph()

        def rates_backward():
            acc = f(t, y0)
            for _ in range(35):
                acc = acc + f(t, y0)
            acc.sum().backward()

        def solve_no_graph():
            with torch.no_grad():
                odeint(f, y0, batch_t, **kwargs)

        def solve_backward():
            (odeint(f, y0, batch_t, **kwargs) - target).abs().mean().backward()

        for name, body in zip(parts, (rates_graph, rates_no_graph, rates_backward, solve_no_graph, solve_backward)):
            qtimes[name].append(timed(body))
    print(f"torchdiffeq {solver} direct {dtype_name}: us per iteration, median (min) of 7 rounds of {iterations}")
    for table in (ptimes, qtimes):
        for name, values in table.items():
            values = sorted(values)
            print(f"  {name:<26} {values[len(values) // 2]:9.0f} ({values[0]:6.0f})")


if __name__ == "__main__":
    main()
