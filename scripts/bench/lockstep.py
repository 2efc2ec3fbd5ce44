#!/usr/bin/env python3
"""Side-by-side training-step benchmark in lock step.

Every contestant is started once and kept in memory; each round asks each of them, in turn, for one
step (the order rotates every round), so the steps compared are seconds apart rather than minutes.
On a shared machine whose speed drifts, the per-round ratio then compares like with like; the
report gives its median and spread. Contestants speak the protocol of
Sources/engine-bench/Lockstep.swift (engine-bench --lockstep, bench_pytorch.py --lockstep).

Usage: lockstep.py [--rounds 20] [--reference NAME] [--peak-every 5] [--json FILE] NAME=COMMAND ...
  e.g. lockstep.py engine='.build/release/engine-bench --lockstep' \\
                   pytorch='.venv/bin/python scripts/bench/bench_pytorch.py --lockstep --threads 2'

--peak-every N: every N rounds, contestants that answer "peak" (the engine) measure the sgemm peak
right after their step; achieved GFLOP/s are then given as a fraction of the peak nearest in time.
"""
import argparse, json, shlex, statistics, subprocess, sys, time


class Contestant:
    def __init__(self, name, command):
        self.name, self.command = name, command
        self.proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.info = self.read()
        if not self.info.get("ready"):
            sys.exit(f"lockstep: {name} did not start: {self.info}")
        self.steps, self.peaks, self.losses = [], [], []

    def read(self):
        line = self.proc.stdout.readline()
        if not line:
            sys.exit(f"lockstep: {self.name} exited (command: {self.command})")
        return json.loads(line)

    def ask(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        answer = self.read()
        if "error" in answer:
            return None
        return answer

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def spread(xs):
    s = sorted(xs)
    return s[len(s) // 4], s[(3 * len(s)) // 4]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--reference", help="contestant the others are compared with (default: the last one)")
    p.add_argument("--peak-every", type=int, default=5)
    p.add_argument("--json", help="write every measurement to this file")
    p.add_argument("contestants", nargs="+", metavar="NAME=COMMAND")
    a = p.parse_args()

    contestants = []
    for spec in a.contestants:
        name, _, command = spec.partition("=")
        if not command:
            sys.exit(f"lockstep: expected NAME=COMMAND, got {spec!r}")
        print(f"# starting {name}: {command}", file=sys.stderr, flush=True)
        contestants.append(Contestant(name, command))
    reference = next((c for c in contestants if c.name == (a.reference or contestants[-1].name)), None)
    if reference is None:
        sys.exit(f"lockstep: no contestant named {a.reference}")

    print(f"# {a.rounds} rounds; load before: {open('/proc/loadavg').read().split()[:3]}", file=sys.stderr, flush=True)
    for r in range(a.rounds):
        order = contestants[r % len(contestants):] + contestants[:r % len(contestants)]
        for c in order:
            answer = c.ask("step")
            c.steps.append(answer["step_s"])
            c.losses.append(answer["loss"])
            if a.peak_every and r % a.peak_every == 0:
                peak = c.ask("peak")
                if peak:
                    c.peaks.append((r, peak["sgemm_peak_gflops"]))
        print(f"# round {r + 1}: " + ", ".join(f"{c.name} {c.steps[-1]:.3f} s" for c in contestants),
              file=sys.stderr, flush=True)
    stats = {c.name: c.ask("stats") or {} for c in contestants}
    for c in contestants:
        c.close()

    print(f"{'contestant':<16}{'median step s':>14}{'tokens/s':>10}{'min step s':>12}"
          f"{'x ' + reference.name + ' per round (median, IQR)':>42}{'% sgemm peak':>14}{'RSS MiB':>9}")
    report = {"rounds": a.rounds, "reference": reference.name, "contestants": {}}
    for c in contestants:
        tokens = c.info["tokens_per_step"]
        med = statistics.median(c.steps)
        ratios = [ref / own for own, ref in zip(c.steps, reference.steps)]
        lo, hi = spread(ratios)
        fraction = ""
        if c.peaks and c.info.get("precision") == "fp32":   # the peak is an fp32 sgemm figure
            # Achieved rate of each step over the peak measured nearest in time.
            fr = [c.info["gflop_per_step"] / s / min(c.peaks, key=lambda p: abs(p[0] - i))[1]
                  for i, s in enumerate(c.steps)]
            fraction = f"{100 * statistics.median(fr):.1f}%"
        rss = stats[c.name].get("peak_rss_mib", 0)
        ratio_text = f"{statistics.median(ratios):.2f} ({lo:.2f}-{hi:.2f})" if c is not reference else "1.00"
        print(f"{c.name:<16}{med:>14.3f}{tokens / med:>10.0f}{min(c.steps):>12.3f}{ratio_text:>42}"
              f"{fraction:>14}{rss:>9.0f}")
        report["contestants"][c.name] = {"info": c.info, "step_s": c.steps, "loss": c.losses, "peaks": c.peaks,
                                         "ratio_to_reference": ratios, "stats": stats[c.name]}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
