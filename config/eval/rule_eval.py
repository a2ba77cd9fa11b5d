# The word-problem rule alone, offline: every "word" line of the given files through `dellm calc --json -`,
# counted right / WRONG / declined per kind (the id's third part).
#   python3 config/eval/rule_eval.py .build/debug/dellm config/eval/word4-dev.jsonl [more files]
import collections, json, subprocess, sys
BIN, files = sys.argv[1], sys.argv[2:]
for fn in files:
    rows = [r for r in map(json.loads, open(fn)) if r.get("type") in ("word", "multi", "gsm8k")]
    out = subprocess.run([BIN, "calc", "--json", "-"], input="\n".join(r["query"] for r in rows) + "\n",
                         capture_output=True, text=True).stdout.strip().split("\n")
    stats, kinds = collections.Counter(), collections.defaultdict(collections.Counter)
    for r, o in zip(rows, out):
        o, want = json.loads(o), r["check"]["value"]
        kind = (r["id"].split("-", 2) + ["word"] * 3)[2]
        vals = o.get("values")
        res = "declined" if not vals else "right" if abs(vals[-1] - want) < 1e-6 else "WRONG"
        stats[res] += 1; kinds[kind][res] += 1
        if res != "right": print(f"  {res:8} {r['id']}: {o.get('steps') or o.get('declined')}  (want {want})")
    print(fn, dict(stats), {k: dict(v) for k, v in kinds.items()})
