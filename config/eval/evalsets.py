# The writer shared by the question sets of stop 28 (reason2, reason3, fresh28, code2, freshcode28,
# fact2): each is a list of (kind, query, check) in score.py's format, written as one JSON line each
# with the id tag-NN-kind (tag-NN when kind is None).
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))

def num(v): return {"kind": "final_number", "value": v}
def kw(*w): return {"kind": "keywords", "all": list(w)}
def tests(t): return {"kind": "python_tests", "tests": t}

def code(sig, what):
    """A code task without examples: "Write a Python function sig that what."."""
    return f"Write a Python function {sig} that {what}."

def write(name, tag, type, rows, report=True):
    """type None: each row's type is its kind (sets of several kinds, as fresh30)."""
    with open(os.path.join(HERE, f"{name}.jsonl"), "w") as f:
        for n, (kind, query, check) in enumerate(rows, 1):
            id = f"{tag}-{n:02d}" + (f"-{kind}" if kind else "")
            f.write(json.dumps({"id": id, "query": query, "type": type or kind, "check": check}) + "\n")
    if report: print(name, len(rows))
