# The exact tools alone, offline: every question of the given files through `dellm plan`, scored by
# score.py's check on the tool's line; right / WRONG / declined (no tool read it) per kind.
#   python3 config/eval/tool_eval.py .build/debug/dellm config/eval/reason2-dev.jsonl [more files]
import collections, json, os, re, subprocess, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/eval"))
from score import passes
BIN, files = sys.argv[1], sys.argv[2:]
for fn in files:
    stats, kinds = collections.Counter(), collections.defaultdict(collections.Counter)
    for r in map(json.loads, open(fn)):
        out = subprocess.run([BIN, "plan", r["query"]], capture_output=True, text=True).stdout
        m = re.search(r"^\s*(\w+) tool: (.*)$", out, re.M)
        kind = (r["id"].split("-", 2) + ["?"] * 3)[2]
        res = "declined" if not m else "right" if passes(r["check"], "Answer: " + m.group(2).split(": ")[-1] if r["check"]["kind"] == "final_number" else m.group(2)) else "WRONG"
        stats[res] += 1; kinds[kind][res] += 1
        if res != "right": print(f"  {res:8} {r['id']}: {r['query']}\n           {m.group(0).strip() if m else ''}")
    print(fn, dict(stats), {k: dict(v) for k, v in kinds.items()})
