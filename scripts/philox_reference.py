#!/usr/bin/env python3
"""Reference for GlassboxCore's Philox draw mapping (numpy only).

Philox-4x32-10 of Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as
1, 2, 3" (SC 2011), re-implemented from the paper / Random123, checked against three
Random123 known-answer vectors, then used to print draws of seed 42, stream 3:

- raw 32-bit words and uniforms (float64 arithmetic; the uniform map
  (floor(w / 2^9) + 0.5) * 2^-23 is exact in float64 and in float32, so Swift must match
  these values exactly);
- Box-Muller normals in float64 with numpy's log/cos/sin (approximate: GlassboxCore uses
  its own float32 log and sincos, so compare with a tolerance);
- the same normals emulated bit for bit in float32 numpy arithmetic (no fused
  multiply-add) following DeterministicMath.log / DeterministicMath.sinCos, as float32
  bit patterns (exact).

Draw j of a stream (seed S, stream n) is lane j % 4 of
block(counter=(low32(j//4), high32(j//4), n, 0), key=(low32(S), high32(S))).

Usage: python3 scripts/philox_reference.py
"""
import numpy as np

M0, M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
W0, W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)
MASK = np.uint64(0xFFFFFFFF)
SHIFT = np.uint64(32)


def philox4x32_10(counter, key):
    """counter: uint64 array (..., 4) of 32-bit words; key: uint64 array (..., 2)."""
    c = [counter[..., i].astype(np.uint64) for i in range(4)]
    k0 = key[..., 0].astype(np.uint64)
    k1 = key[..., 1].astype(np.uint64)
    for r in range(10):
        if r:
            k0 = (k0 + W0) & MASK
            k1 = (k1 + W1) & MASK
        p0 = M0 * c[0]
        p1 = M1 * c[2]
        c = [(p1 >> SHIFT) ^ c[1] ^ k0, p1 & MASK, (p0 >> SHIFT) ^ c[3] ^ k1, p0 & MASK]
    return np.stack(c, axis=-1)


KAT = [  # Random123 kat_vectors, philox4x32 10 rounds
    ([0, 0, 0, 0], [0, 0], [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]),
    ([0xFFFFFFFF] * 4, [0xFFFFFFFF] * 2, [0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD]),
    ([0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344], [0xA4093822, 0x299F31D0],
     [0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1]),
]


def words(seed, stream, draws):
    """Raw 32-bit words of the given global draw numbers."""
    j = np.asarray(draws, dtype=np.uint64)
    b = j >> np.uint64(2)
    counter = np.stack([b & MASK, b >> SHIFT, np.full_like(b, stream), np.zeros_like(b)], -1)
    key = np.broadcast_to(np.array([seed & 0xFFFFFFFF, seed >> 32], dtype=np.uint64), counter.shape[:-1] + (2,))
    blocks = philox4x32_10(counter, key)
    return blocks[np.arange(len(j)), (j & np.uint64(3)).astype(np.int64)], blocks


def uniform(w):
    return ((w >> np.uint64(9)).astype(np.float64) + 0.5) * 2.0**-23


def normal(blocks, draws):
    j = np.asarray(draws, dtype=np.uint64)
    lane = (j & np.uint64(3)).astype(np.int64)
    first = lane & 2
    rows = np.arange(len(j))
    u0 = uniform(blocks[rows, first])
    u1 = uniform(blocks[rows, first + 1])
    r = np.sqrt(-2.0 * np.log(u0))
    return np.where(lane & 1 == 0, r * np.cos(2 * np.pi * u1), r * np.sin(2 * np.pi * u1))


F = np.float32


def log_f32(x):
    """DeterministicMath.log for positive normal float32 (musl logf)."""
    ix = x.view(np.uint32) + np.uint32(0x3F800000 - 0x3F3504F3)
    k = (ix >> np.uint32(23)).astype(np.int32) - np.int32(0x7F)
    m = ((ix & np.uint32(0x007FFFFF)) + np.uint32(0x3F3504F3)).view(F)
    lg1, lg2, lg3, lg4, ln2_hi, ln2_lo = (np.uint32(b).view(F) for b in (
        0x3F2AAAAA, 0x3ECCCE13, 0x3E91E9EE, 0x3E789E26, 0x3F317180, 0x3717F7D1))
    f = m - F(1)
    s = f / (F(2) + f)
    z = s * s
    w = z * z
    r = z * (lg1 + w * lg3) + w * (lg2 + w * lg4)
    hfsq = F(0.5) * f * f
    dk = k.astype(F)
    return s * (hfsq + r) + dk * ln2_lo - hfsq + f + dk * ln2_hi


def sincos_turns_f32(u):
    """DeterministicMath.sinCos(turns:) for float32 u in [0, 1)."""
    a = F(4) * u
    q = a.astype(np.int64)
    t = a - q.astype(F)
    wrap = t > F(0.5)
    t = np.where(wrap, t - F(1), t)
    q = (q + wrap) & 3
    s1, s3, s5, s7, c2, c4, c6, c8 = (np.uint32(b).view(F) for b in (
        0x3FC90FDB, 0xBF255E12, 0x3DA34052, 0xBB998CC8, 0xBF9DE9E6, 0x3E81E0D8, 0xBCAAD95B, 0x3A6A7BF7))
    z = t * t
    s = t * (s1 + z * (s3 + z * (s5 + z * s7)))
    c = F(1) + z * (c2 + z * (c4 + z * (c6 + z * c8)))
    sin = np.select([q == 0, q == 1, q == 2], [s, c, -s], -c)
    cos = np.select([q == 0, q == 1, q == 2], [c, -s, -c], s)
    return sin, cos


def normal_f32(blocks, draws):
    j = np.asarray(draws, dtype=np.uint64)
    lane = (j & np.uint64(3)).astype(np.int64)
    first = lane & 2
    rows = np.arange(len(j))
    u0 = uniform(blocks[rows, first]).astype(F)
    u1 = uniform(blocks[rows, first + 1]).astype(F)
    r = np.sqrt(F(-2) * log_f32(u0))
    sin, cos = sincos_turns_f32(u1)
    return np.where(lane & 1 == 0, r * cos, r * sin)


def main():
    for ctr, key, expected in KAT:
        got = philox4x32_10(np.array([ctr], dtype=np.uint64), np.array([key], dtype=np.uint64))[0]
        assert [int(v) for v in got] == expected, (ctr, key, [hex(int(v)) for v in got])
    print("Random123 known-answer vectors: OK")

    seed, stream = 42, 3
    draws = np.arange(10, dtype=np.uint64)
    w, blocks = words(seed, stream, draws)
    u = uniform(w)
    z = normal(blocks, draws)
    print(f"seed {seed} stream {stream}: draw, word, uniform (exact, float hex), normal (float64 approx)")
    for j in range(len(draws)):
        print(f"{j:2d} 0x{int(w[j]):08X} {float(u[j]).hex():>22} {float(u[j])!r:<22} {float(z[j])!r}")
    print("Swift uniforms:", ", ".join(float(v).hex() for v in u))
    print("Swift normals:", ", ".join(f"{v:.9f}" for v in z))
    z32 = normal_f32(blocks, draws)
    assert np.all(np.abs(z32.astype(np.float64) - z) < 1e-5), (z32, z)
    print("Swift normal bit patterns (exact):", ", ".join(f"0x{int(b):08X}" for b in z32.view(np.uint32)))


if __name__ == "__main__":
    main()
