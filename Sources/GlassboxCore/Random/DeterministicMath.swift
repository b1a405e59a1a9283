/// Bit-reproducible float32 elementary functions for the Box–Muller transform of the
/// Philox-4x32-10 generator (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
/// SC 2011).
///
/// Platform `log`, `sin` and `cos` differ in their last bits between libms and GPU
/// drivers, so these functions use only IEEE-754 binary32 operations that every
/// conforming implementation rounds identically: `+`, `-`, `*`, `/`, conversions between
/// `Float`, `Int` and bit patterns, and comparisons. There is no fused multiply-add: every
/// `a * b + c` below is a multiply rounded to float, then an add rounded to float, evaluated
/// in exactly the order and parenthesisation shown. An OpenCL C port must therefore compile
/// with `#pragma OPENCL FP_CONTRACT OFF`, must not use `-cl-mad-enable`,
/// `-cl-unsafe-math-optimizations` or `-cl-fast-relaxed-math`, and needs a correctly rounded
/// float division (`-cl-fp32-correctly-rounded-divide-sqrt`).
public enum DeterministicMath {
    /// The natural logarithm of a float32, accurate to within 1 ulp, computed with IEEE
    /// basic operations only (used by the Box–Muller transform of the Philox-4x32-10
    /// generator; Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011).
    ///
    /// The algorithm is that of FreeBSD/musl `logf` (Sun Microsystems, fdlibm heritage):
    ///
    /// 1. Special values: `x == 0` gives `-infinity`, `x == +infinity` gives `+infinity`,
    ///    `x < 0` or NaN gives NaN. A subnormal `x` is first multiplied by `2^25`
    ///    (exact) and `k` starts at `-25`; otherwise `k` starts at `0`.
    /// 2. Split `x = 2^k' * m` with `m` in `[sqrt(2)/2, sqrt(2))`, on the bit pattern
    ///    (unsigned 32-bit arithmetic, wrapping):
    ///    `ix = bits(x) + (0x3F800000 - 0x3F3504F3)`, `k += Int(ix >> 23) - 0x7F`,
    ///    `m = float(bits: (ix & 0x007FFFFF) + 0x3F3504F3)`.
    /// 3. `f = m - 1`, `s = f / (2 + f)`, `z = s * s`, `w = z * z`,
    ///    `t1 = w * (Lg2 + w * Lg4)`, `t2 = z * (Lg1 + w * Lg3)`, `R = t2 + t1`,
    ///    `hfsq = (0.5 * f) * f`, `dk = Float(k)`.
    /// 4. Result, left to right:
    ///    `((((s * (hfsq + R)) + dk * ln2Lo) - hfsq) + f) + dk * ln2Hi`.
    ///
    /// Coefficients (float32 bit patterns): `Lg1 = 0x3F2AAAAA` (0.66666662693),
    /// `Lg2 = 0x3ECCCE13` (0.40000972152), `Lg3 = 0x3E91E9EE` (0.28498786688),
    /// `Lg4 = 0x3E789E26` (0.24279078841), `ln2Hi = 0x3F317180` (0.693138122559),
    /// `ln2Lo = 0x3717F7D1` (9.05800061445e-06).
    ///
    /// No intermediate is subnormal for a positive finite `x`, so flushing subnormals to
    /// zero in the arithmetic does not change results (only the input-scaling branch of
    /// step 1 depends on subnormal inputs being honoured).
    ///
    /// - Parameter x: Any float; the result is within 1 ulp of `ln(x)` for every positive
    ///   finite `x`.
    /// - Returns: `ln(x)` rounded as described.
    public static func log(_ x: Float) -> Float {
        guard x > 0, x < .infinity else {
            if x == 0 { return -.infinity }
            return x == .infinity ? x : .nan
        }
        guard x < .leastNormalMagnitude else { return log(Lanes(repeating: x))[0] }
        return log(Lanes(repeating: x * 0x1p25), exponentBias: -25)[0]
    }

    /// Eight floats, the width the bulk Box–Muller transform works in.
    public typealias Lanes = SIMD8<Float>

    /// ``log(_:)`` lane by lane for positive normal finite floats (every Philox uniform),
    /// steps 2–4 with `k` starting at `exponentBias`: the same operations in the same
    /// order, so each lane equals the scalar result bit for bit.
    public static func log(_ x: Lanes, exponentBias: Int32 = 0) -> Lanes {
        let ix = unsafeBitCast(x, to: SIMD8<UInt32>.self) &+ (0x3F80_0000 - 0x3F35_04F3)
        let m = unsafeBitCast((ix & 0x007F_FFFF) &+ 0x3F35_04F3, to: Lanes.self)

        let lg1 = Float(bitPattern: 0x3F2A_AAAA)
        let lg2 = Float(bitPattern: 0x3ECC_CE13)
        let lg3 = Float(bitPattern: 0x3E91_E9EE)
        let lg4 = Float(bitPattern: 0x3E78_9E26)
        let ln2Hi = Float(bitPattern: 0x3F31_7180)
        let ln2Lo = Float(bitPattern: 0x3717_F7D1)

        let f = m - 1
        let s = f / (2 + f)
        let z = s * s
        let w = z * z
        let t1 = w * (lg2 + w * lg4)
        let t2 = z * (lg1 + w * lg3)
        let r = t2 + t1
        let hfsq = 0.5 * f * f
        // k = (ix >> 23) − 127 + exponentBias, converted exactly (both steps are exact integers in float).
        let dk = exactFloats(ix &>> 23) - Float(0x7F - exponentBias)
        return s * (hfsq + r) + dk * ln2Lo - hfsq + f + dk * ln2Hi
    }

    /// Integers below 2^23 converted to float (exactly) by placing them in the
    /// mantissa of 2^23 and subtracting 2^23: the per-lane conversion initialisers
    /// of the SIMD types do not vectorise.
    public static func exactFloats(_ small: SIMD8<UInt32>) -> Lanes {
        unsafeBitCast(small | 0x4B00_0000, to: Lanes.self) - 0x1p23
    }

    /// Sine and cosine of a fraction of a full turn, `sin(2πu)` and `cos(2πu)`, each within
    /// 2 ulp, computed with IEEE basic operations only (used by the Box–Muller transform of
    /// the Philox-4x32-10 generator; Salmon et al., "Parallel random numbers: as easy as
    /// 1, 2, 3", SC 2011).
    ///
    /// The angle is never formed: the range reduction works in turns, where it is exact.
    ///
    /// 1. `a = 4 * u` (exact); `q = Int(a)` (truncation, so `q` in `0...3`);
    ///    `t = a - Float(q)` (exact, in `[0, 1)`); if `t > 0.5` then `t = t - 1` (exact) and
    ///    `q = q + 1`. Now `2πu = q·π/2 + t·π/2` with `t` in `[-0.5, 0.5]`.
    /// 2. With `z = t * t`, evaluate in Horner form (multiply, round, add, round):
    ///    `s = t * (S1 + z * (S3 + z * (S5 + z * S7)))`, approximating `sin(πt/2)`;
    ///    `c = 1 + z * (C2 + z * (C4 + z * (C6 + z * C8)))`, approximating `cos(πt/2)`.
    /// 3. By quadrant `q & 3`: 0 → `(sin: s, cos: c)`, 1 → `(c, -s)`, 2 → `(-s, -c)`,
    ///    3 → `(-c, s)`.
    ///
    /// The coefficients are relative-error minimax fits on `t` in `[0, 0.5]`, rounded to
    /// float32 one at a time from the lowest degree up with the remaining ones refitted
    /// (float32 bit patterns): `S1 = 0x3FC90FDB` (1.5707964), `S3 = 0xBF255E12`
    /// (-0.64596665), `S5 = 0x3DA34052` (0.079712525), `S7 = 0xBB998CC8` (-0.004685972);
    /// `C2 = 0xBF9DE9E6` (-1.2337005), `C4 = 0x3E81E0D8` (0.25366855),
    /// `C6 = 0xBCAAD95B` (-0.020855596), `C8 = 0x3A6A7BF7` (0.0008944864).
    ///
    /// For `u >= 2^-24` (every Philox uniform) no intermediate is subnormal, so flushing
    /// subnormals to zero does not change results there.
    ///
    /// - Parameter u: The angle in turns, in `[0, 1)`.
    /// - Returns: `sin(2πu)` and `cos(2πu)`; multiples of a quarter turn are exact.
    public static func sinCos(turns u: Float) -> (sin: Float, cos: Float) {
        let lanes = sinCos(turns: Lanes(repeating: u))
        return (lanes.sin[0], lanes.cos[0])
    }

    /// ``sinCos(turns:)`` lane by lane, for `u` in `[0, 1)`: the same operations in the
    /// same order, the quadrant chosen by masks, so each lane equals the scalar result bit for bit.
    public static func sinCos(turns u: Lanes) -> (sin: Lanes, cos: Lanes) {
        // The quadrant q is kept as a float (an exact integer in 0...4).
        let a = 4 * u
        var q = a.rounded(.towardZero)
        var t = a - q
        let wraps = t .> 0.5
        t.replace(with: t - 1, where: wraps)
        q.replace(with: q + 1, where: wraps)
        let s1 = Float(bitPattern: 0x3FC9_0FDB)
        let s3 = Float(bitPattern: 0xBF25_5E12)
        let s5 = Float(bitPattern: 0x3DA3_4052)
        let s7 = Float(bitPattern: 0xBB99_8CC8)
        let c2 = Float(bitPattern: 0xBF9D_E9E6)
        let c4 = Float(bitPattern: 0x3E81_E0D8)
        let c6 = Float(bitPattern: 0xBCAA_D95B)
        let c8 = Float(bitPattern: 0x3A6A_7BF7)

        let z = t * t
        let s = t * (s1 + z * (s3 + z * (s5 + z * s7)))
        let c = 1 + z * (c2 + z * (c4 + z * (c6 + z * c8)))
        // Quadrant 0 → (s, c), 1 → (c, −s), 2 → (−s, −c), 3 → (−c, s).
        let odd = (q .== 1) .| (q .== 3), lower = (q .== 2) .| (q .== 3)
        var sine = s, cosine = c
        sine.replace(with: c, where: odd)
        cosine.replace(with: -s, where: odd)
        sine.replace(with: -sine, where: lower)
        cosine.replace(with: -cosine, where: lower)
        return (sine, cosine)
    }
}
