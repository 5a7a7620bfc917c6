#!/usr/bin/python3
"""scipy side of the stiff work-precision suite (bench/NodeDsl.Benchmarks/Stiff).

The same problems as StiffProblems.cs (keep the two in step): vector field, analytic Jacobian (given to scipy, as NodeDsl
uses exact autograd Jacobians), initial state, output times and atol = atol_factor * rtol.

  /usr/bin/python3 bench/stiff/scipy_stiff.py --reference [--problems a,b]      writes bench/stiff/reference.json
  /usr/bin/python3 bench/stiff/scipy_stiff.py [--problems a,b] [--solvers Radau,BDF,LSODA] [--rtols 1e-4,1e-6]

Prints the same CSV columns as `NodeDsl.Benchmarks stiff`. Outside the product's dependencies (Debian's python3-scipy).
Timing: one thread (OMP/OpenBLAS pinned to 1 before numpy loads); seconds = wall clock, cpu_seconds = process time.
"""
import os
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
import argparse
import json
import math
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp


def vdp_scaled(t, y):
    x, v = y
    return np.array([v, 1000.0 * ((1 - x * x) * v - x)])


def vdp_scaled_jac(t, y):
    x, v = y
    return np.array([[0.0, 1.0], [1000.0 * (-2 * x * v - 1), 1000.0 * (1 - x * x)]])


def vdp(t, y):
    x, v = y
    return np.array([v, 1000.0 * (1 - x * x) * v - x])


def vdp_jac(t, y):
    x, v = y
    return np.array([[0.0, 1.0], [-2000.0 * x * v - 1, 1000.0 * (1 - x * x)]])


def robertson(t, y):
    y1, y2, y3 = y
    slow, middle, fast = 0.04 * y1, 1e4 * y2 * y3, 3e7 * y2 * y2
    return np.array([middle - slow, slow - middle - fast, fast])


def robertson_jac(t, y):
    y1, y2, y3 = y
    return np.array([[-0.04, 1e4 * y3, 1e4 * y2],
                     [0.04, -1e4 * y3 - 6e7 * y2, -1e4 * y2],
                     [0.0, 6e7 * y2, 0.0]])


HIRES_LINEAR = np.array([
    [-1.71, 0.43, 8.32, 0, 0, 0, 0, 0],
    [1.71, -8.75, 0, 0, 0, 0, 0, 0],
    [0, 0, -10.03, 0.43, 0.035, 0, 0, 0],
    [0, 8.32, 1.71, -1.12, 0, 0, 0, 0],
    [0, 0, 0, 0, -1.745, 0.43, 0.43, 0],
    [0, 0, 0, 0.69, 1.71, -0.43, 0.69, 0],
    [0, 0, 0, 0, 0, 0, -1.81, 0],
    [0, 0, 0, 0, 0, 0, 1.81, 0]])
HIRES_CONSTANT = np.array([0.0007, 0, 0, 0, 0, 0, 0, 0])
HIRES_REACTION = np.array([0, 0, 0, 0, 0, -280.0, 280.0, -280.0])


def hires(t, y):
    return HIRES_LINEAR @ y + HIRES_CONSTANT + y[5] * y[7] * HIRES_REACTION


def hires_jac(t, y):
    j = HIRES_LINEAR.copy()
    j[:, 5] += y[7] * HIRES_REACTION
    j[:, 7] += y[5] * HIRES_REACTION
    return j


def orego(t, y):
    y1, y2, y3 = y
    return np.array([77.27 * (y2 + y1 * (1 - 8.375e-6 * y1 - y2)),
                     (y3 - (1 + y1) * y2) / 77.27,
                     0.161 * (y1 - y3)])


def orego_jac(t, y):
    y1, y2, y3 = y
    return np.array([[77.27 * (1 - 2 * 8.375e-6 * y1 - y2), 77.27 * (1 - y1), 0.0],
                     [-y2 / 77.27, -(1 + y1) / 77.27, 1 / 77.27],
                     [0.161, 0.0, -0.161]])


# Stiff UDE (StiffUde in StiffProblems.cs): x' = v, v' = -1000 v - 100 x + MLP(x, v), 2 -> 16 -> tanh -> 1.
HIDDEN = 16
W1 = np.array([[math.sin(1 + i + 3 * j) for j in range(2)] for i in range(HIDDEN)])
B1 = np.array([math.cos(i) / 2 for i in range(HIDDEN)])
W2 = np.array([50 * math.sin(2 + 5 * i) / HIDDEN for i in range(HIDDEN)])


def ude(t, y):
    x, v = y
    net = W2 @ np.tanh(W1 @ y + B1)
    return np.array([v, -1000.0 * v - 100.0 * x + net])


def ude_jac(t, y):
    h = np.tanh(W1 @ y + B1)
    dnet = (W2 * (1 - h * h)) @ W1
    return np.array([[0.0, 1.0], [-100.0 + dnet[0], -1000.0 + dnet[1]]])


def grid(t0, t1, intervals):
    return [t0 + (t1 - t0) * i / intervals for i in range(intervals + 1)]


PROBLEMS = {
    "vdp-scaled": (vdp_scaled, vdp_scaled_jac, [2.0, 0.0], grid(0, 3000, 10), 1.0),
    "vdp": (vdp, vdp_jac, [2.0, 0.0], grid(0, 3000, 10), 1.0),
    "robertson": (robertson, robertson_jac, [1.0, 0.0, 0.0], [0.0] + [10.0 ** k for k in range(-5, 12)], 1e-6),
    "hires": (hires, hires_jac, [1, 0, 0, 0, 0, 0, 0, 0.0057], [0.0, 321.8122, 421.8122], 1e-3),
    "orego": (orego, orego_jac, [1.0, 2.0, 3.0], grid(0, 360, 12), 1.0),
    "ude": (ude, ude_jac, [1.0, 0.0], grid(0, 10, 10), 1.0),
}
HERE = os.path.dirname(os.path.abspath(__file__))


def solve(name, method, rtol, jac=True):
    f, j, y0, times, atol_factor = PROBLEMS[name]
    kwargs = {"jac": j} if jac and method != "RK45" else {}
    return solve_ivp(f, (times[0], times[-1]), y0, method=method, t_eval=times, rtol=rtol, atol=atol_factor * rtol, **kwargs)


def reference(name, method, rtol):
    """Integrates output interval by output interval (no interpolation error), at a tight tolerance."""
    f, j, y0, times, atol_factor = PROBLEMS[name]
    states = [list(y0)]
    y = np.array(y0, dtype=float)
    for a, b in zip(times[:-1], times[1:]):
        sol = solve_ivp(f, (a, b), y, method=method, jac=j, rtol=rtol, atol=atol_factor * rtol)
        if not sol.success:
            raise RuntimeError(f"{name} reference failed: {sol.message}")
        y = sol.y[:, -1]
        states.append(list(y))
    return states


def error(ys, states):
    worst = 0.0
    for i in range(1, len(states)):
        ref = np.array(states[i])
        worst = max(worst, np.linalg.norm(ys[:, i] - ref) / np.linalg.norm(ref))
    return worst


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--problems", default=",".join(PROBLEMS))
    parser.add_argument("--solvers", default="Radau,BDF,LSODA")
    parser.add_argument("--rtols", default="1e-4,1e-6,1e-8")
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--reference-rtol", type=float, default=1e-12)
    parser.add_argument("--reference-methods", default="Radau,LSODA",
                        help="first: the stored reference; second: a check on it (method or method@rtol)")
    args = parser.parse_args()
    path = os.path.join(HERE, "reference.json")
    problems = args.problems.split(",")
    if args.reference:
        data = json.load(open(path)) if os.path.exists(path) else {}
        for name in problems:
            start = time.process_time()
            first, second = args.reference_methods.split(",")
            check_method, _, check_rtol = second.partition("@")
            check_rtol = float(check_rtol) if check_rtol else args.reference_rtol
            states = reference(name, first, args.reference_rtol)
            check = reference(name, check_method, check_rtol)
            # A second method (or the same at another tolerance): their difference estimates the reference's own error.
            agreement = error(np.array(check).T, states)
            data[name] = {"times": PROBLEMS[name][3], "states": states, "method": first, "rtol": args.reference_rtol,
                          "check": f"{check_method} at rtol {check_rtol:g}", "difference": agreement}
            print(f"{name}: {first} at rtol {args.reference_rtol:g} vs {check_method} at {check_rtol:g}: {agreement:.2e} "
                  f"({time.process_time() - start:.1f} s cpu)", flush=True)
            with open(path, "w") as out:
                json.dump(data, out, indent=1)
        return
    states = json.load(open(path))
    print("problem,solver,rtol,atol,seconds,cpu_seconds,nfe,jacobians,factorizations,accepted,rejected,error", flush=True)
    for name in problems:
        atol_factor = PROBLEMS[name][4]
        for rtol in (float(r) for r in args.rtols.split(",")):
            for method in args.solvers.split(","):
                cpu, wall = time.process_time(), time.perf_counter()
                sol = solve(name, method, rtol)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                err = error(sol.y, states[name]["states"]) if sol.success else float("nan")
                print(f"{name},scipy-{method},{rtol:.0E},{atol_factor * rtol:.0E},{wall:.3f},{cpu:.3f},{sol.nfev},{sol.njev},{sol.nlu},,,{err:.2E}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
