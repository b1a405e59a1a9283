#!/usr/bin/env python3
"""A classical baseline for GlassboxText's tweet-sentiment data: TF-IDF + logistic regression.

Reads the train/test split of the built-in subset (Sources/GlassboxText/Data/tweets.csv, see
scripts/fetch_tweets.py), and with --full also of the full corpus that scripts/fetch_tweets.py
caches (~/.cache/glassbox/tweets/tweets-full.csv, or --cache DIR). Each text is tokenized by a
Python port of GlassboxText's WordTokenizer with its default options (lowercased; URLs, @users and
numbers as <url>, <user>, <number>), so the baseline reads the same tokens a Glassbox model does.
Features are TF-IDF weights of token 1- and 2-grams with sublinear term frequency; the classifier is
a multinomial logistic regression whose inverse regularisation C is chosen by 5-fold stratified
cross-validation on the training split only. Prints the test accuracy and macro F1 and writes them,
with the majority-class accuracy, the token statistics the Swift tests check, and the exact
scikit-learn version and parameters, to Tests/GlassboxTextTests/Fixtures/tweets-baseline.json.

Needs scikit-learn. Run from anywhere:

    python3 scripts/tweets_baseline.py            # the subset
    python3 scripts/tweets_baseline.py --full     # the subset and the full corpus
"""

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import unicodedata

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "Sources", "GlassboxText", "Data")
FIXTURES = os.path.join(ROOT, "Tests", "GlassboxTextTests", "Fixtures")
CLASSES = ["negative", "neutral", "positive"]
C_GRID = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0]

# WordTokenizer (Sources/GlassboxText/WordTokenizer.swift), rule for rule. Swift reads extended
# grapheme clusters and Python code points; they differ only for characters made of several code
# points (emoji sequences, combining accents), which the latin-1-decoded tweets do not contain.
URL_PREFIXES = ("https://", "http://", "www.")
URL_TRAILING = set(".,;:!?'\"\u2019\u201d\u00bb)]}>\u2026")


def is_separator(character):
    return character.isspace() or unicodedata.category(character) in ("Cc", "Cf")


def is_word(character):
    return unicodedata.category(character)[0] in "LMN" or character == "_"


def is_digit(character):
    return unicodedata.category(character) == "Nd"


def ascii_lower(text):
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in text)


def url_end(text, start):
    for prefix in URL_PREFIXES:
        if ascii_lower(text[start:start + len(prefix)]) != prefix:
            continue
        prefix_end = start + len(prefix)
        end = prefix_end
        while end < len(text) and not is_separator(text[end]):
            end += 1
        while end > prefix_end and text[end - 1] in URL_TRAILING:
            end -= 1
        return end if end > prefix_end else None
    return None


def user_end(text, start):
    end = start + 1
    while end < len(text) and is_word(text[end]):
        end += 1
    return end if end > start + 1 else None


def word_end(text, start):
    end = start + 1
    while end < len(text):
        if is_word(text[end]):
            end += 1
        elif text[end] in "'\u2019" and end + 1 < len(text) and is_word(text[end + 1]):
            end += 2
        else:
            break
    return end


def digits_end(text, start):
    end = word_end(text, start)
    return end if all(is_digit(c) for c in text[start:end]) else None


def number_end(text, start):
    end = digits_end(text, start)
    if end is None:
        return None
    while end < len(text) and text[end] in ".,:":
        if end + 1 >= len(text) or not is_digit(text[end + 1]):
            break
        group_end = digits_end(text, end + 1)
        if group_end is None:
            break
        end = group_end
    return end


def tokenize(text):
    """The token texts of WordTokenizer() (all options on)."""
    tokens = []
    index = 0
    follows_word = False
    while index < len(text):
        character = text[index]
        if is_separator(character):
            follows_word = False
            index += 1
            continue
        end = None if follows_word else url_end(text, index)
        if end is not None:
            tokens.append("<url>")
        else:
            end = user_end(text, index) if character == "@" and not follows_word else None
            if end is not None:
                tokens.append("<user>")
            elif is_word(character):
                end = number_end(text, index)
                if end is not None:
                    tokens.append("<number>")
                else:
                    end = word_end(text, index)
                    tokens.append(text[index:end].replace("\u2019", "'").lower())
            else:
                end = index + 1
                tokens.append(character.lower())
        index = end
        follows_word = is_word(text[end - 1])
    return tokens


def unigrams_and_bigrams(text):
    """The word 1- and 2-grams of `text`, as TfidfVectorizer(ngram_range=(1, 2)) forms them from its tokens."""
    tokens = tokenize(text)
    return tokens + [f"{first} {second}" for first, second in zip(tokens, tokens[1:])]


def documents(texts):
    """Each text's n-grams, computed once, so cross-validation does not tokenize every text again for every fit."""
    return [unigrams_and_bigrams(text) for text in texts]


def read_split(path):
    data = {"train": ([], []), "test": ([], [])}
    with open(path, encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            texts, labels = data[row["split"]]
            texts.append(row["text"])
            labels.append(CLASSES.index(row["label"]))
    return data


def evaluate(name, data, extra_tests=()):
    train_texts, train_labels = data["train"]
    test_texts, test_labels = data["test"]
    pipeline = Pipeline([
        ("tfidf", TfidfVectorizer(analyzer=list, sublinear_tf=True)),
        ("logreg", LogisticRegression(max_iter=2000)),
    ])
    search = GridSearchCV(pipeline, {"logreg__C": C_GRID}, scoring="accuracy", n_jobs=1,
                          cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=0))
    search.fit(documents(train_texts), train_labels)
    predictions = search.predict(documents(test_texts))
    majority = max(range(len(CLASSES)), key=train_labels.count)
    train_tokens = [tokenize(text) for text in train_texts]
    result = {
        "train_count": len(train_texts),
        "test_count": len(test_texts),
        "train_tokens": sum(len(tokens) for tokens in train_tokens),
        "distinct_train_tokens": len({token for tokens in train_tokens for token in tokens}),
        "cross_validated_C": search.best_params_["logreg__C"],
        "cross_validation_accuracy": round(search.best_score_, 4),
        "features": len(search.best_estimator_.named_steps["tfidf"].vocabulary_),
        "test_accuracy": round(accuracy_score(test_labels, predictions), 4),
        "test_macro_f1": round(f1_score(test_labels, predictions, average="macro"), 4),
        "majority_class": CLASSES[majority],
        "majority_class_test_accuracy": round(test_labels.count(majority) / len(test_labels), 4),
    }
    for extra_name, (texts, labels) in extra_tests:
        extra_predictions = search.predict(documents(texts))
        result[f"{extra_name}_accuracy"] = round(accuracy_score(labels, extra_predictions), 4)
        result[f"{extra_name}_macro_f1"] = round(f1_score(labels, extra_predictions, average="macro"), 4)
    print(f"{name}: train {result['train_count']}, test {result['test_count']}, C {result['cross_validated_C']}: "
          f"test accuracy {result['test_accuracy']:.4f}, macro F1 {result['test_macro_f1']:.4f} "
          f"(majority class {result['majority_class_test_accuracy']:.4f})")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also train and test on the full cached corpus")
    parser.add_argument("--cache", default=os.path.join(os.path.expanduser("~"), ".cache", "glassbox", "tweets"),
                        help="the folder scripts/fetch_tweets.py wrote tweets-full.csv to")
    arguments = parser.parse_args()

    subset = read_split(os.path.join(DATA, "tweets.csv"))
    report = {
        "tokenizer": "WordTokenizer() ported to Python in scripts/tweets_baseline.py",
        "vectorizer": "TfidfVectorizer(analyzer=list, sublinear_tf=True) on each text's token 1-grams and "
                      "space-joined 2-grams (as ngram_range=(1, 2) forms them), smooth_idf and l2 norm by default",
        "classifier": "LogisticRegression(max_iter=2000), C by GridSearchCV(scoring='accuracy', "
                      "cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=0)) over the training split",
        "C_grid": C_GRID,
        "python": platform.python_version(),
        "scikit_learn": sklearn.__version__,
        "subset": evaluate("subset", subset),
    }
    if arguments.full:
        full_path = os.path.join(arguments.cache, "tweets-full.csv")
        if not os.path.exists(full_path):
            sys.exit(f"error: {full_path} does not exist; run python3 scripts/fetch_tweets.py first")
        report["full"] = evaluate("full", read_split(full_path), extra_tests=[("subset_test", subset["test"])])

    handle, temporary = tempfile.mkstemp(dir=FIXTURES, prefix=".tmp-")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(report, file, indent=2)
        file.write("\n")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    os.replace(temporary, os.path.join(FIXTURES, "tweets-baseline.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
