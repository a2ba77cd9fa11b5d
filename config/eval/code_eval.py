# The task-words compiler alone (CodeSpec), offline: every code question of the given files through
# `dellm plan`; its program run against the row's tests by score.py's check. right / WRONG / declined.
#   python3 config/eval/code_eval.py .build/debug/dellm config/eval/code3-dev.jsonl [more files] [-v]
import json, os, subprocess, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/eval"))
from score import passes
BIN, files = sys.argv[1], [a for a in sys.argv[2:] if a != "-v"]
verbose = "-v" in sys.argv
total = {"right": 0, "WRONG": 0, "declined": 0}
for fn in files:
    stats = {"right": 0, "WRONG": 0, "declined": 0}
    for r in map(json.loads, open(fn)):
        if r["type"] != "code": continue
        out = subprocess.run([BIN, "plan", r["query"]], capture_output=True, text=True).stdout
        lines = out.split("\n")
        if not any("task-words program" in l for l in lines):
            res, code = "declined", ""
        else:
            i = next(k for k, l in enumerate(lines) if "task-words program" in l)
            code = "\n".join(l[6:] for l in lines[i + 1:] if l.startswith("      "))
            res = "right" if passes(r["check"], "```python\n" + code + "\n```") else "WRONG"
        stats[res] += 1
        if res != "right" or verbose:
            print(f"  {res:8} {r['id']}: {r['query']}")
            if code: print("           " + code.replace("\n", "\n           "))
    print(fn, stats)
    for k in total: total[k] += stats[k]
if len(files) > 1: print("all", total)
