#!/usr/bin/python3
"""Cross-check for a reference computed by NodeDsl (problems whose scipy reference at rtol 1e-12 takes too long).

  /usr/bin/python3 bench/stiff/crosscheck.py vdp-scaled --rtol 1e-9 --until 300 [--method Radau] > out.json

Integrates the problem of scipy_stiff.py output interval by output interval up to the output time `--until` (all of
them by default) at the given tolerance (atol = atol_factor * rtol) and prints the states at those output times as JSON,
with the CPU seconds it took.
"""
import argparse
import json
import sys
import time

import scipy_stiff as s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("problem")
    parser.add_argument("--rtol", type=float, default=1e-9)
    parser.add_argument("--until", type=float, default=float("inf"))
    parser.add_argument("--method", default="Radau")
    args = parser.parse_args()
    f, j, y0, times, atol_factor = s.PROBLEMS[args.problem]
    times = [t for t in times if t <= args.until]
    start = time.process_time()
    s.PROBLEMS[args.problem] = (f, j, y0, times, atol_factor)
    states = s.reference(args.problem, args.method, args.rtol)
    json.dump({"problem": args.problem, "method": args.method, "rtol": args.rtol, "times": times, "states": states,
               "cpu_seconds": time.process_time() - start}, sys.stdout)
    print()


if __name__ == "__main__":
    sys.exit(main())
