#!/usr/bin/env python3
"""Counts what the JIT compiled during the measured part of `load` (the streams after the warm-up).

Usage (from the repository root, so the benchmark finds tests/fixtures):
    rm -f /tmp/jit.txt
    DOTNET_JitStdOutFile=/tmp/jit.txt DOTNET_JitDisasmSummary=1 \
        dotnet benchmarks/Providers.Benchmarks/bin/Release/net10.0/Providers.Benchmarks.dll load ours 1000 1
    python3 benchmarks/jit-summary.py /tmp/jit.txt [--list]

The file is appended to, never truncated: delete it before each run. The replay server (a child process) writes
its list to <file>.server; a file from an older benchmark that has both processes' lines interleaved is still read:
each process numbers its own lines, which is how they are told apart. The measured part starts at the first compilation of the load's per-stream lambda
(Load.RunClientAsync's `b__0(int)`). "ours" is any method whose name involves a Providers type outside the benchmarks.
"""
import collections
import re
import sys

LINE = re.compile(r'\s*(\d+): JIT compiled (.*)')
TIER = re.compile(r'\[([A-Za-z][A-Za-z0-9 -]*), IL size')
OURS = re.compile(r'(^|[\[,<(])Providers\.(?!Benchmarks)')
MARKER = '<RunClientAsync>b__0(int)'


def main():
    streams, last = [[], []], [0, 0]
    for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
        m = LINE.match(line)
        if not m:
            continue
        n = int(m.group(1))
        fits = [i for i in (0, 1) if last[i] + 1 == n]
        i = fits[0] if fits else min((0, 1), key=lambda k: abs(last[k] + 1 - n))
        last[i] = n
        streams[i].append(m.group(2))
    client = max(streams, key=lambda s: sum('RunClientAsync' in x for x in s))
    start = next((k for k, x in enumerate(client) if MARKER in x), len(client))

    def tier(x):
        t = TIER.search(x)
        return t.group(1) if t else '?'

    def ours(x):
        return OURS.search(x.split('(')[0]) is not None

    for name, part in (('start-up and warm-up', client[:start]), ('measured', client[start:])):
        everything = collections.Counter(tier(x) for x in part)
        mine = collections.Counter(tier(x) for x in part if ours(x))
        print(f'{name}: {len(part)} methods {dict(everything)}')
        print(f'{name}, ours: {sum(mine.values())} methods {dict(mine)}')
    if '--list' in sys.argv:
        for x in client[start:]:
            if ours(x):
                print('  ', x)


if __name__ == '__main__':
    main()
