#!/usr/bin/env python3
"""Writes the AttnLRP fixtures into Tests/GlassboxExplainTests/Fixtures/attnlrp:
a small vision transformer in PyTorch exported to ONNX, two fixed inputs, and
the input relevance that lxt (the reference implementation of AttnLRP, Achtibat
et al. 2024, "AttnLRP: Attention-Aware Layer-Wise Relevance Propagation for
Transformers") computes for their top class, which the Swift tests compare with
Glassbox's LRP run on the imported `.onnx` model.

- `tiny_vit` (3x16x16 -> 5 logits): patch embedding Conv(3->32, 4, stride 4),
  a class token and a learned position embedding, two pre-norm blocks
  (LayerNorm, 2-head self-attention written with explicit matmuls and softmax,
  residual; LayerNorm, Linear(32->64) GELU Linear(64->32), residual), a final
  LayerNorm, the class token, Linear(32->5). Plain nn.Linear / nn.LayerNorm /
  F.gelu, seeded random weights.

The model's forward takes its operations from a table: `Plain` (torch; used
for the ONNX export and the logits), `explicit(...)` (lxt.explicit's LRP
functions: `linear_epsilon`, `layer_norm`, `matmul`, `softmax`, `add2`, `mul2`,
the `identity` rule around GELU and the generic `epsilon_lrp` around the patch
Conv, with given stabilisers; relevance propagated explicitly: the fixtures,
once with lxt's default stabilisers and once with none) and `Efficient`
(lxt.efficient's Gradient x Input patches: `stop_gradient` on the LayerNorm's
standard deviation, `identity_rule_implicit` around GELU, `divide_gradient`
by 4 on queries and keys and by 2 on values; a cross-check of the fixtures).
Relevance is seeded with the target logit's value (`one_hot(t) * logits`).

`manifest.json` records the rules lxt applies to each operation, their
stabilisers, the versions, the targets, logits and per-sample relevance sums,
and the cross-checks (explicit vs efficient, float32 vs float64); `README.md`
describes the model, the files and lxt's conventions.

Regenerate (run by hand; CI never runs Python). Deterministic: a second run on
the same machine writes byte-identical files (one CPU thread, fixed seeds):
    pip install torch==2.15.0 onnx==1.23.2 onnxruntime==1.32.0 numpy lxt==2.1
    python3 scripts/make_attnlrp_fixtures.py
    sha256sum Tests/GlassboxExplainTests/Fixtures/attnlrp/*   # compare two runs
"""
import copy
import importlib.util
import io
import json
import os
import platform
import sys
import types
import warnings
from collections import OrderedDict
from importlib import metadata

import numpy as np
import onnx
import onnxruntime
import torch
import torch.nn.functional as F
from torch import nn

import lxt
import lxt.explicit.functional as lf
from lxt.explicit.rules import epsilon_lrp, identity


def load_lxt_efficient():
    """lxt.efficient's rules and patches. lxt 2.1's `lxt/efficient/__init__.py` imports its
    Hugging Face model patches, which fail with transformers >= 5 (`find_pruneable_heads_and_indices`
    is gone); `rules.py` and `patches.py` need only torch, so they are loaded directly."""
    base = os.path.join(os.path.dirname(lxt.__file__), "efficient")
    package = types.ModuleType("lxt.efficient")
    package.__path__ = [base]
    sys.modules["lxt.efficient"] = package
    modules = []
    for name in ("rules", "patches"):
        spec = importlib.util.spec_from_file_location(f"lxt.efficient.{name}", os.path.join(base, name + ".py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


efficient_rules, efficient_patches = load_lxt_efficient()
layer_norm_forward = efficient_patches.layer_norm_forward
divide_gradient, identity_rule_implicit = efficient_rules.divide_gradient, efficient_rules.identity_rule_implicit

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "Tests", "GlassboxExplainTests", "Fixtures", "attnlrp"))

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
warnings.filterwarnings("ignore")

NAME = "tiny_vit"
IMAGE, PATCH, DIM, HEADS, DEPTH, HIDDEN, CLASSES = 16, 4, 32, 2, 2, 64, 5
TOKENS = (IMAGE // PATCH) ** 2 + 1
N_SAMPLES = 2
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
WEIGHT_SEED, INPUT_SEED = 0, 1
# The cases: lxt's default stabilisers, and none (every ε = 0, where lxt's explicit and
# efficient modes and any re-implementation must agree to float rounding).
CASES = [
    ("attnlrp", OrderedDict(linear=1e-6, layer_norm=1e-6, matmul=1e-8, add=1e-8)),
    ("attnlrp-eps0", OrderedDict(linear=0.0, layer_norm=0.0, matmul=0.0, add=0.0)),
]


# ---------------------------------------------------------------- operations

class Plain:
    """The model as PyTorch computes it (ONNX export, logits)."""
    conv = staticmethod(lambda m, x: m(x))
    linear = staticmethod(lambda m, x: m(x))
    layer_norm = staticmethod(lambda m, x: m(x))
    add = staticmethod(lambda a, b: a + b)
    matmul = staticmethod(lambda a, b: a @ b)
    scale = staticmethod(lambda x, c: x * c)
    softmax = staticmethod(lambda x: x.softmax(-1))
    gelu = staticmethod(F.gelu)
    query = key = value = staticmethod(lambda x: x)


def explicit(linear=1e-6, layer_norm=1e-6, matmul=1e-8, add=1e-8):
    """lxt.explicit, each function's backward returning the relevance of its inputs, with
    the stabilisers ε of its functions: lxt's defaults (`linear_epsilon`'s 1e-6, also used
    for the patch Conv; `layer_norm_grad_fn`'s 1e-6, which `lf.layer_norm` cannot change;
    `matmul`'s and `add2`'s 1e-8), or others (0: the fixture without stabilisers)."""

    class Explicit(Plain):
        conv = staticmethod(lambda m, x: epsilon_lrp(m, linear, x))
        linear = staticmethod(lambda m, x: lf.linear_epsilon(x, m.weight, m.bias, linear))
        layer_norm = staticmethod(lambda m, x: lf.layer_norm_grad_fn.apply(x, m.weight, m.bias, m.eps, layer_norm))
        add = staticmethod(lambda a, b: lf.add2(a, b, False, add))
        matmul = staticmethod(lambda a, b: lf.matmul(a, b, False, matmul))
        scale = staticmethod(lambda x, c: lf.mul2(x, c))
        softmax = staticmethod(lambda x: lf.softmax(x, -1))
        gelu = staticmethod(lambda x: identity(F.gelu, x))

    return Explicit


class Efficient(Plain):
    """lxt.efficient: Gradient x Input with the AttnLRP patches of lxt.efficient.patches
    (`layer_norm_forward`, `mlp_forward`'s `identity_rule_implicit`, `wrap_attention_forward`'s
    `divide_gradient`); linear layers, additions and the softmax keep their gradient, which
    under Gradient x Input is the ε rule with ε = 0 and AttnLRP's softmax rule."""
    layer_norm = staticmethod(lambda m, x: layer_norm_forward(m, x))
    gelu = staticmethod(lambda x: identity_rule_implicit(F.gelu, x))
    query = key = staticmethod(lambda x: divide_gradient(x, 4))
    value = staticmethod(lambda x: divide_gradient(x, 2))


# ---------------------------------------------------------------- model

class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query = nn.Linear(DIM, DIM)
        self.key = nn.Linear(DIM, DIM)
        self.value = nn.Linear(DIM, DIM)
        self.proj = nn.Linear(DIM, DIM)
        self.scale = (DIM // HEADS) ** -0.5

    def heads(self, x):
        b, t, _ = x.shape
        return x.reshape(b, t, HEADS, DIM // HEADS).transpose(1, 2)

    def forward(self, x, ops):
        b, t, _ = x.shape
        q = ops.query(self.heads(ops.linear(self.query, x)))
        k = ops.key(self.heads(ops.linear(self.key, x)))
        v = ops.value(self.heads(ops.linear(self.value, x)))
        scores = ops.scale(ops.matmul(q, k.transpose(-2, -1)), self.scale)
        attention = ops.softmax(scores)
        out = ops.matmul(attention, v).transpose(1, 2).reshape(b, t, DIM)
        return ops.linear(self.proj, out)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(DIM)
        self.attention = Attention()
        self.norm2 = nn.LayerNorm(DIM)
        self.fc1 = nn.Linear(DIM, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, DIM)

    def forward(self, x, ops):
        x = ops.add(x, self.attention(ops.layer_norm(self.norm1, x), ops))
        h = ops.gelu(ops.linear(self.fc1, ops.layer_norm(self.norm2, x)))
        return ops.add(x, ops.linear(self.fc2, h))


class TinyViT(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = nn.Conv2d(3, DIM, PATCH, stride=PATCH)
        self.class_token = nn.Parameter(torch.zeros(1, 1, DIM))
        self.position = nn.Parameter(torch.zeros(1, TOKENS, DIM))
        self.blocks = nn.ModuleList([Block() for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(DIM)
        self.head = nn.Linear(DIM, CLASSES)
        self.ops = Plain

    def forward(self, x):
        ops = self.ops
        b = x.shape[0]
        tokens = ops.conv(self.patch, x).flatten(2).transpose(1, 2)
        tokens = torch.cat([self.class_token.expand(b, -1, -1), tokens], dim=1)
        tokens = ops.add(tokens, self.position.expand(b, -1, -1))
        for block in self.blocks:
            tokens = block(tokens, ops)
        return ops.linear(self.head, ops.layer_norm(self.norm, tokens)[:, 0])


def tiny_vit():
    """Weights from one generator seeded WEIGHT_SEED, in module registration order:
    Conv/Linear weights N(0, 1/fan_in) (N(0, 2/fan_in) for fc1, which feeds GELU),
    biases N(0, 0.1), LayerNorm weights U(0.5, 1.5) and biases N(0, 0.1), class token
    N(0, 1), position embedding N(0, 0.25). Queries and keys of unit scale make the
    attention far from uniform (scores O(1) after the 1/sqrt(16) scale)."""
    model = TinyViT()
    generator = torch.Generator().manual_seed(WEIGHT_SEED)
    with torch.no_grad():
        model.class_token.copy_(torch.randn(model.class_token.shape, generator=generator))
        model.position.copy_(torch.randn(model.position.shape, generator=generator) * 0.5)
        for name, module in model.named_modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                fan_in = module.weight[0].numel()
                gain = 2.0 if name.endswith("fc1") else 1.0
                module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * (gain / fan_in) ** 0.5)
                module.bias.copy_(torch.randn(module.bias.shape, generator=generator) * 0.1)
            elif isinstance(module, nn.LayerNorm):
                module.weight.copy_(torch.rand(module.weight.shape, generator=generator) + 0.5)
                module.bias.copy_(torch.randn(module.bias.shape, generator=generator) * 0.1)
    for parameter in model.parameters():
        parameter.requires_grad_(False)  # as lxt's Composite.register(no_grad=True)
    return model.eval()


# ---------------------------------------------------------------- relevance

def relevance(model, ops, x, targets):
    """The input relevance under `ops` for the targets, seeded with the target logits."""
    model.ops = ops
    try:
        probe = x.clone().requires_grad_()
        logits = model(probe)
        one_hot = F.one_hot(torch.tensor(targets), CLASSES).to(x.dtype)
        if ops is Efficient:
            # Gradient x Input: seed the gradient with 1 at the target (relevance = logit)
            (gradient,) = torch.autograd.grad(logits, probe, one_hot)
            return (probe * gradient).detach(), logits.detach()
        (relevance,) = torch.autograd.grad(logits, probe, one_hot * logits.detach())
        return relevance.detach(), logits.detach()
    finally:
        model.ops = Plain


# ---------------------------------------------------------------- export

def export_onnx(model, x):
    """TorchScript exporter, opset 17 (ONNX LayerNormalization; GELU is decomposed into
    Div, Erf, Add, Mul, Mul since ONNX Gelu needs opset 20), dynamic batch axis."""
    buffer = io.BytesIO()
    torch.onnx.export(model, (x,), buffer, input_names=["input"], output_names=["logits"], opset_version=17,
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, do_constant_folding=True,
                      dynamo=False)
    data = buffer.getvalue()
    graph = onnx.load_from_string(data)
    onnx.checker.check_model(graph)
    with open(os.path.join(FIXTURES, NAME + ".onnx"), "wb") as file:
        file.write(data)
    with torch.no_grad():
        logits = model(x)
    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    ort_logits = session.run(None, {"input": x.numpy()})[0]
    np.testing.assert_allclose(ort_logits, logits.numpy(), rtol=0, atol=1e-5)
    ops = [node.op_type for node in graph.graph.node]
    assert ops.count("LayerNormalization") == 2 * DEPTH + 1, ops
    assert ops.count("Softmax") == DEPTH and ops.count("Erf") == DEPTH and "Gelu" not in ops, ops
    counts = OrderedDict(sorted((op, ops.count(op)) for op in set(ops)))
    print(f"{NAME}: {len(data)} bytes ONNX, {len(ops)} nodes {dict(counts)}")
    return data, float(np.abs(ort_logits - logits.numpy()).max()), counts


# ---------------------------------------------------------------- writing

def save(name, array):
    array = np.ascontiguousarray(np.asarray(array, dtype="<f4"))
    np.save(os.path.join(FIXTURES, name), array)
    return name


RULES = OrderedDict([
    ("Conv (patch embedding)", "epsilon: lxt.explicit.rules.epsilon_lrp(conv, ε) — "
     "R_x = x ⊙ Jᵀ(R / (z + ε)), bias in z (paper eq. 8)"),
    ("Linear", "epsilon: lxt.explicit.functional.linear_epsilon — R_x = x ⊙ Wᵀ(R / (z + ε)), bias in z (eq. 8)"),
    ("LayerNorm", "lxt.explicit.functional.layer_norm — ε rule on y = (x − mean(x)) / std · w + b with std "
     "detached (identity rule through the division, Proposition 3.4 and eq. 9; ε rule on the centring and "
     "the bias, eq. 8): R_x = x ⊙ ∂y/∂x|_{std const}ᵀ (R / (y + ε))"),
    ("GELU", "identity: lxt.explicit.rules.identity(F.gelu, x) — R_x = R (eq. 9)"),
    ("Q·Kᵀ, A·V", "lxt.explicit.functional.matmul — ε rule on the sum over the inner index, then the "
     "uniform rule (half to each operand), Proposition 3.3: R_A = A ⊙ (R / (2·C + ε))·Bᵀ, "
     "R_B = B ⊙ Aᵀ·(R / (2·C + ε))"),
    ("· 1/√d", "lxt.explicit.functional.mul2 with a constant — all relevance to the computed operand"),
    ("Softmax", "lxt.explicit.functional.softmax — Proposition 3.1, Taylor decomposition at x with the bias "
     "left out: R_x = x ⊙ (R − s · Σ_j R_j) along the softmax axis"),
    ("residual +, + position", "lxt.explicit.functional.add2 — ε rule on the sum: R_a = a·R / (a + b + ε); "
     "the position embedding's share is absorbed"),
    ("concat class token, reshape, transpose, [:, 0]", "gradient (moves relevance unchanged); the class "
     "token's share is absorbed"),
])


def write_readme(report, versions):
    lines = []
    add = lines.append
    add("# AttnLRP fixtures (lxt references)")
    add("")
    add("Written by `scripts/make_attnlrp_fixtures.py` (run by hand; CI never runs Python):")
    add("")
    add(f"    pip install torch=={versions['torch']} onnx=={versions['onnx']} "
        f"onnxruntime=={versions['onnxruntime']} numpy lxt=={versions['lxt']}")
    add("    python3 scripts/make_attnlrp_fixtures.py")
    add("")
    add("Deterministic (fixed seeds, one CPU thread, `torch.use_deterministic_algorithms`): two runs on")
    add("the same machine give byte-identical files (checked with `sha256sum`). The script deletes and")
    add("rewrites everything in this folder. lxt 2.1's `lxt.efficient` package fails to import with")
    add("transformers ≥ 5 (its Hugging Face model patches); the script loads `lxt/efficient/rules.py` and")
    add("`patches.py`, which need only torch, directly.")
    add("")
    add("Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".")
    add("")
    add("## Model and files")
    add("")
    add(f"`{NAME}`: input 3×{IMAGE}×{IMAGE}; patch embedding Conv(3→{DIM}, {PATCH}, stride {PATCH}) → "
        f"{TOKENS - 1} tokens; a class token (concatenated first) and a learned position embedding "
        f"({TOKENS}×{DIM}, added); {DEPTH} pre-norm blocks `x + proj(attention(LN1(x)))`, "
        f"`x + fc2(GELU(fc1(LN2(x))))` with {HEADS} heads of {DIM // HEADS}, separate query/key/value "
        f"Linear({DIM}→{DIM}), scores `(Q·Kᵀ)·{DIM // HEADS}^-½`, softmax over the keys, MLP "
        f"{DIM}→{HIDDEN}→{DIM} with exact GELU; a final LayerNorm; the class token; Linear({DIM}→{CLASSES}).")
    add(f"Weights from a generator seeded {WEIGHT_SEED} in registration order: class token N(0, 1), position")
    add("N(0, 0.25), Conv/Linear weights N(0, 1/fan_in) (fc1: 2/fan_in), biases N(0, 0.1), LayerNorm weights")
    add("U(0.5, 1.5), biases N(0, 0.1), LayerNorm eps 1e-5.")
    add(f"Inputs ({N_SAMPLES}, float32 N×3×{IMAGE}×{IMAGE}): pixels `torch.rand` from a generator seeded "
        f"{INPUT_SEED},")
    add("normalised `(p − mean)/std` with mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).")
    add(f"Targets: each sample's top class, {report['targets']} (target logits "
        + ", ".join(f"{v:.4f}" for v in report["target_logits"]) + ").")
    add("")
    add(f"Files: `{NAME}.onnx` ({report['onnx_bytes']} bytes), `{NAME}.inputs.npy`, `{NAME}.logits.npy` "
        f"(PyTorch's, N×{CLASSES}),")
    add(f"and per case `{NAME}.<id>.npy`, lxt.explicit's input relevance (N×3×{IMAGE}×{IMAGE}). All `.npy` are")
    add("little-endian float32, C order. `manifest.json` is a JSON object `{generator, versions, model, rules,")
    add("cases}`; each case has `model`, `id`, `file`, `shape`, `onnx`, `inputs`, `logits`, `targets`,")
    add("`stabilizers` (the ε of each lxt function), `target_logits`, `relevance_sum` (per sample),")
    add("`relevance_max_abs` and `checks` (below).")
    add("")
    add("ONNX: TorchScript exporter (`dynamo=False`), opset 17, `do_constant_folding=True`, input `input`")
    add(f"(N×3×{IMAGE}×{IMAGE}, batch axis `N`), output `logits` (N×{CLASSES}); onnxruntime's logits equal")
    add(f"PyTorch's within {report['onnx_vs_torch']:.1e}. Operators: "
        + ", ".join(f"{op} ×{count}" for op, count in report["ops"].items()) + ".")
    add("At opset 17 F.gelu is exported as `Div(x, √2) → Erf → Add(1) → Mul(x, ·) → Mul(0.5)`")
    add("(ONNX `Gelu` is opset 20); each nn.Linear on tokens as `MatMul` then `Add(bias)`; LayerNorm as")
    add("one `LayerNormalization`; each attention has two `MatMul`s of computed values and a `Mul` by the")
    add("constant scale before its `Softmax`.")
    add("")
    add("| case | stabilisers (linear/conv, layer_norm, matmul, add2) | Σ R per sample | max abs R |")
    add("|---|---|---|---|")
    for case in report["cases"]:
        e = case["stabilizers"]
        add(f"| `{case['id']}` | {e['linear']:g}, {e['layer_norm']:g}, {e['matmul']:g}, {e['add']:g} | "
            + ", ".join(f"{v:.4f}" for v in case["relevance_sum"]) + f" | {case['relevance_max_abs']:.4f} |")
    add("")
    add("Σ R is far from the target logit: the class token (whose residual stream the output reads), the")
    add("position embedding and the biases (Linear, Conv, LayerNorm) absorb relevance under the ε rule, and")
    add("the softmax rule leaves out the bias term of its Taylor expansion (the paper says so). A")
    add("re-implementation should reproduce these sums, not the logit.")
    add("")
    add("## lxt 2.1 conventions (read in the source, checked by the script)")
    add("")
    add("The fixtures are lxt's *explicit* mode (`lxt.explicit.functional` and `lxt.explicit.rules`):")
    add("each operation is an autograd Function whose backward returns relevance, so the gradient the")
    add("input receives is its relevance (no × input). Operations lxt does not wrap (concatenation,")
    add("reshapes, transposes, indexing) pass their gradient, i.e. move relevance unchanged. The rule")
    add("per operation (equation numbers of the paper, as lxt's docstrings cite them):")
    add("")
    for operation, rule in RULES.items():
        add(f"- {operation}: {rule}.")
    add("")
    add("**Stabilisers** are additive, `z + ε` (not `z + ε·sign(z)` as in Zennit and Glassbox). lxt's")
    add("defaults (case `attnlrp`): ε = 1e-6 in `linear_epsilon` (also passed to `epsilon_lrp` for the")
    add("Conv) and in `layer_norm` (fixed: `lf.layer_norm` passes none, so the script calls")
    add("`layer_norm_grad_fn` to set it), 1e-8 in `matmul` (added to 2·C) and `add2`. The smallest |z| of")
    add(f"a Linear, Conv or LayerNorm output here is {report['smallest_output']:.1e}, so these ε move single")
    add("neurons by up to a few percent: lxt's own result changes by "
        f"{report['cases'][0]['checks']['eps0_relative']:.1e} of max|R| between the two cases. Compare the")
    add("`attnlrp-eps0` case (every ε = 0) for an exact check; with stabilisers, a different convention")
    add("(signed ε, or ε applied separately to a MatMul and its bias Add) differs by that order.")
    add("")
    add("**Seeding.** `torch.autograd.grad(logits, x, one_hot(t) * logits)`: the output relevance is the")
    add("target logit at the target, 0 elsewhere (no softmax at the output).")
    add("")
    add("**Not lxt's own ViT map.** `lxt.efficient.models.vit_torch` patches torchvision's ViT with")
    add("CP-LRP inside the attention (no relevance through the softmax: queries and keys detached), which")
    add("its comment calls easier to tune with Gamma rules on the linear layers; these fixtures use full")
    add("AttnLRP (the softmax rule, the uniform rule on both matmuls) and ε everywhere, the rules of the paper.")
    add("")
    add("## Checks the script performs")
    add("")
    add("- ONNX: checker; onnxruntime vs PyTorch logits (1e-5); operator counts (LayerNormalization,")
    add("  Softmax, Erf, no Gelu).")
    add("- The explicit-mode forward gives PyTorch's logits (1e-5).")
    add("- lxt's *efficient* mode (Gradient × Input with `stop_gradient` on the LayerNorm std,")
    add("  `identity_rule_implicit` on GELU, `divide_gradient` by 4 on Q and K and by 2 on V; no stabiliser")
    add("  anywhere, i.e. ε = 0) against each case (max abs difference / max|R|): "
        + "; ".join(f"`{c['id']}` {c['checks']['efficient_relative']:.1e}" for c in report["cases"]) + ".")
    add("- Float conditioning: each case computed in float64 against float32 (/ max|R|): "
        + "; ".join(f"`{c['id']}` {c['checks']['float64_relative']:.1e}" for c in report["cases"]) + ".")
    add("")
    with open(os.path.join(FIXTURES, "README.md"), "w") as file:
        file.write("\n".join(lines))


# ---------------------------------------------------------------- main

def smallest_output(model, x):
    """The smallest |z| over the outputs of every Conv, Linear and LayerNorm (conditioning of ε)."""
    smallest = []
    hooks = [m.register_forward_hook(lambda m, i, o: smallest.append(float(o.abs().min())))
             for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear, nn.LayerNorm))]
    with torch.no_grad():
        model(x)
    for hook in hooks:
        hook.remove()
    return min(smallest)


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    for entry in os.listdir(FIXTURES):
        os.remove(os.path.join(FIXTURES, entry))

    model = tiny_vit()
    model64 = copy.deepcopy(model).double()
    generator = torch.Generator().manual_seed(INPUT_SEED)
    pixels = torch.rand(N_SAMPLES, 3, IMAGE, IMAGE, generator=generator)
    x = (pixels - torch.tensor(MEAN).reshape(1, 3, 1, 1)) / torch.tensor(STD).reshape(1, 3, 1, 1)
    with torch.no_grad():
        logits = model(x)
    targets = [int(i) for i in logits.argmax(1)]
    target_logits = [float(logits[n, t]) for n, t in enumerate(targets)]
    data, onnx_vs_torch, ops = export_onnx(model, x)
    save(f"{NAME}.inputs.npy", x)
    save(f"{NAME}.logits.npy", logits)
    print(f"{NAME}: logits\n{logits.numpy().round(4)}\ntargets {targets}, target logits {np.round(target_logits, 4)}")

    efficient, _ = relevance(model, Efficient, x, targets)
    results = OrderedDict()
    for case_id, stabilizers in CASES:
        ops_table = explicit(**stabilizers)
        result, explicit_logits = relevance(model, ops_table, x, targets)
        assert float((explicit_logits - logits).abs().max()) < 1e-5
        result64, _ = relevance(model64, ops_table, x.double(), targets)
        scale = float(result.abs().max())
        assert 1e-3 < scale < 1e3 and result.shape == x.shape
        results[case_id] = (stabilizers, result, result64, scale)
    reference_eps0 = results["attnlrp-eps0"][1]
    cases = []
    for case_id, (stabilizers, result, result64, scale) in results.items():
        efficient_difference = float((efficient - result).abs().max())
        float64_difference = float((result64 - result.double()).abs().max())
        eps0_difference = float((reference_eps0 - result).abs().max())
        limit = 1e-5 if case_id == "attnlrp-eps0" else 1e-3
        assert efficient_difference < limit * scale, (case_id, efficient_difference, scale)
        assert float64_difference < 1e-5 * scale, (case_id, float64_difference, scale)
        file = save(f"{NAME}.{case_id}.npy", result)
        sums = [float(v) for v in result.sum(dim=(1, 2, 3))]
        checks = OrderedDict(
            efficient_max_abs_difference=efficient_difference, efficient_relative=efficient_difference / scale,
            float64_max_abs_difference=float64_difference, float64_relative=float64_difference / scale,
            eps0_max_abs_difference=eps0_difference, eps0_relative=eps0_difference / scale)
        cases.append(OrderedDict(
            model=NAME, id=case_id, file=file, shape=list(result.shape), onnx=NAME + ".onnx",
            inputs=NAME + ".inputs.npy", logits=NAME + ".logits.npy", targets=targets,
            stabilizers=stabilizers, target_logits=target_logits, relevance_sum=sums, relevance_max_abs=scale,
            checks=checks))
        print(f"  {case_id:14s} sum R {np.round(sums, 4)}, max|R| {scale:.4f}; efficient {efficient_difference:.1e}, "
              f"float64 {float64_difference:.1e}, vs eps0 {eps0_difference:.1e}")

    versions = OrderedDict((package, metadata.version(package))
                           for package in ["torch", "lxt", "onnx", "onnxruntime", "numpy"])
    versions["python"] = platform.python_version()
    model_facts = OrderedDict(image=IMAGE, patch=PATCH, dim=DIM, heads=HEADS, depth=DEPTH, hidden=HIDDEN,
                              classes=CLASSES, tokens=TOKENS, weight_seed=WEIGHT_SEED, input_seed=INPUT_SEED,
                              onnx_bytes=len(data), opset=17, onnx_vs_torch=onnx_vs_torch, ops=ops)
    manifest = OrderedDict(generator="scripts/make_attnlrp_fixtures.py", versions=versions, model=model_facts,
                           rules=RULES, stabilizer_form="additive: z + epsilon", cases=cases)
    with open(os.path.join(FIXTURES, "manifest.json"), "w") as file_:
        json.dump(manifest, file_, indent=1, ensure_ascii=False)
        file_.write("\n")
    write_readme(OrderedDict(targets=targets, target_logits=target_logits, onnx_bytes=len(data),
                             onnx_vs_torch=onnx_vs_torch, ops=ops, cases=cases,
                             smallest_output=smallest_output(model, x)), versions)
    print("versions:", json.dumps(versions))
    total = sum(os.path.getsize(os.path.join(FIXTURES, f)) for f in os.listdir(FIXTURES))
    print(f"{len(os.listdir(FIXTURES))} files, {total} bytes in {FIXTURES}")


if __name__ == "__main__":
    main()
