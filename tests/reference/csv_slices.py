#!/usr/bin/python3
"""Slices of every dataset in ../shared/data/ for tests/test-data.c.

Writes tests/data/csv/shared/<dataset>--<file>.csv holding the header and
the first 200 records (read and written with Python's csv module, so a
quoted newline never cuts a record) and tests/data/csv/shared/counts.tsv:
file, data rows and columns as Python's csv module counts them.  The test
loads each slice with Glassbox and compares.  Licences: see PROVENANCE.md
next to the slices.

    /usr/bin/python3 tests/reference/csv_slices.py [SHARED_DATA_DIR]
"""
import csv
import os
import sys

ROWS = 200
here = os.path.dirname(os.path.abspath(__file__))
out_dir = os.path.join(here, '..', 'data', 'csv', 'shared')
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', '..', '..', 'shared', 'data')

counts = []
for dataset in sorted(os.listdir(src)):
    folder = os.path.join(src, dataset)
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.csv'):
            continue
        with open(os.path.join(folder, name), newline='', encoding='utf-8') as f:
            records = []
            for i, rec in enumerate(csv.reader(f)):
                if i > ROWS:
                    break
                records.append(rec)
        slice_name = '%s--%s' % (dataset, name)
        with open(os.path.join(out_dir, slice_name), 'w', newline='', encoding='utf-8') as f:
            csv.writer(f, lineterminator='\n').writerows(records)
        # count the slice again, from the bytes written
        with open(os.path.join(out_dir, slice_name), newline='', encoding='utf-8') as f:
            recs = [r for r in csv.reader(f) if r]
        widths = {len(r) for r in recs}
        assert len(widths) == 1, (slice_name, widths)
        counts.append((slice_name, len(recs) - 1, len(recs[0])))

with open(os.path.join(out_dir, 'counts.tsv'), 'w') as f:
    f.write('# file\trows\tcolumns (Python csv module; tests/reference/csv_slices.py)\n')
    for c in counts:
        f.write('%s\t%d\t%d\n' % c)
print('\n'.join('%s %d %d' % c for c in counts))
