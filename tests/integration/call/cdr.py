#!/usr/bin/env python3
"""Print the CDR rows of a CSV file or an SQLite database, one per line:
callee,cause,answered(0/1),route,target,ingress,egress. Exit 2 if the
CSV header or the database table is missing."""
import csv
import sqlite3
import sys

COLS = ("callee", "cause", "answer", "route", "target", "ingress", "egress")


def show(rows):
    for r in rows:
        r = dict(zip(COLS, r))
        r["answer"] = "1" if r["answer"] else "0"
        r["route"] = r["route"] or ""
        r["target"] = r["target"] or ""
        r["egress"] = r["egress"] or ""
        print(",".join(str(r[c]) for c in COLS))


def main():
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "csv":
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        if rows and "cause" not in rows[0]:
            sys.exit(2)
        show([tuple(r[c] for c in COLS) for r in rows])
    else:
        db = sqlite3.connect(path)
        # the table keeps times as Unix ms: answer_ms is NULL if unanswered
        cols = ["answer_ms" if c == "answer" else c for c in COLS]
        q = "SELECT " + ",".join(cols) + " FROM cdr ORDER BY rowid"
        show(db.execute(q).fetchall())


main()
