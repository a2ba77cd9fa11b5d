# The writer shared by the one-step word-problem sets (word3.py, word4.py, fresh27.py): each is a list
# of (kind, query, answer); within each kind the problems alternate between a dev and a test file.
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))

def line(id, query, answer):
    return json.dumps({"id": id, "query": query, "type": "word", "check": {"kind": "final_number", "value": answer}}) + "\n"

def write(name, rows, tag):
    """rows: (kind, query, answer); ids are tag-NN-kind."""
    with open(os.path.join(HERE, f"{name}.jsonl"), "w") as f:
        for n, (kind, q, a) in enumerate(rows, 1):
            f.write(line(f"{tag}-{n:02d}-{kind}", q, a))

def write_dev_test(problems, name, dev_tag, test_tag):
    dev, test, count = [], [], {}
    for kind, q, a in problems:
        i = count.get(kind, 0); count[kind] = i + 1
        (dev if i % 2 == 0 else test).append((kind, q, a))
    write(f"{name}-dev", dev, dev_tag)
    write(f"{name}-test", test, test_tag)
    print(len(dev), len(test))
