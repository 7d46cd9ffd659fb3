#!/usr/bin/env python3
"""Agreement between two labellings of the same sentences (docs/facets.md, "Development set").

usage: bench/facet_agreement.py [FIRST.jsonl SECOND.jsonl]

Defaults: tests/data/facets/dev_heldout_writers.jsonl (the writers' own labels of the held-out
split) against dev_heldout_second_labeller.jsonl, an independent relabelling made from the written
conventions without seeing the first labels. (dev_heldout.jsonl itself holds the adjudicated labels,
which agree with the second labeller wherever a third labeller sided with it, so comparing it would
overstate the agreement.) Prints primary-facet agreement, Cohen's kappa, the primary confusion (rows: first,
columns: second) and per-facet agreement on the label sets. The lines must hold the same texts in
the same order.
"""
import collections
import json
import os
import sys

KEYS = ["world_knowledge", "attributes", "spatial", "art", "other"]
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "facets")


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    first_path = sys.argv[1] if len(sys.argv) > 2 else os.path.join(DATA, "dev_heldout_writers.jsonl")
    second_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(DATA, "dev_heldout_second_labeller.jsonl")
    first, second = read(first_path), read(second_path)
    if len(first) != len(second) or any(a["text"] != b["text"] for a, b in zip(first, second)):
        sys.exit("facet_agreement: the two files do not hold the same texts in the same order")
    n = len(first)
    p1 = [r["facets"][0] for r in first]
    p2 = [r["facets"][0] for r in second]
    agree = sum(a == b for a, b in zip(p1, p2))
    c1, c2 = collections.Counter(p1), collections.Counter(p2)
    observed = agree / n
    expected = sum(c1[k] * c2[k] for k in KEYS) / (n * n)
    kappa = (observed - expected) / (1 - expected)
    print(f"{n} sentences: primary agreement {observed:.3f} ({agree}/{n}), Cohen's kappa {kappa:.3f}")
    print("primary confusion (rows: first labeller, columns: second)")
    print("                 " + " ".join(f"{k[:6]:>6}" for k in KEYS))
    for k in KEYS:
        row = [sum(1 for a, b in zip(p1, p2) if a == k and b == kk) for kk in KEYS]
        print(f"  {k:15}" + " ".join(f"{x:>6}" for x in row))
    print("label sets (any position): in both / in either")
    for k in KEYS:
        both = sum(1 for a, b in zip(first, second) if k in a["facets"] and k in b["facets"])
        either = sum(1 for a, b in zip(first, second) if k in a["facets"] or k in b["facets"])
        print(f"  {k:15} {both}/{either} = {both / either:.3f}")
    same = sum(set(a["facets"]) == set(b["facets"]) for a, b in zip(first, second))
    print(f"identical label sets: {same}/{n}")


if __name__ == "__main__":
    main()
