#!/usr/bin/env python3
"""Reference series runner for docs/BENCHMARKS.md ("Levers"): runs each command
ROUNDS times, the commands in a new random order every round, and prints each
command's median of the first "N MiB/s" or "N files/s" figure it printed.

    python3 docs/reference/series.py ROUNDS "ENV=VALUE command args" ...

Words before the command that contain "=" are set in its environment.
"""
import os
import random
import re
import statistics
import subprocess
import sys

rounds = int(sys.argv[1])
commands = sys.argv[2:]
results = {command: [] for command in commands}
for _ in range(rounds):
    for command in random.sample(commands, len(commands)):
        words = command.split()
        environment = dict(os.environ)
        while words and "=" in words[0]:
            key, value = words.pop(0).split("=", 1)
            environment[key] = value
        output = subprocess.run(words, capture_output=True, text=True, env=environment).stdout
        figure = re.search(r"([\d.]+) (MiB|files)/s", output)
        results[command].append(float(figure.group(1)) if figure else 0.0)
for command in commands:
    values = results[command]
    print(f"{command:60s} median {statistics.median(values):8.0f}  [{' '.join(f'{v:.0f}' for v in values)}]")
