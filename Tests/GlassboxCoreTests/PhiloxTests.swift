import Foundation
import Testing

@testable import GlassboxCore

// MARK: - Helpers

/// Fills a fresh array through one of the bulk fills.
private func filled(
    _ count: Int, _ stream: RandomStream,
    _ fill: (UnsafeMutableBufferPointer<Float>, RandomStream) -> Void
) -> [Float] {
    var out = [Float](repeating: .nan, count: count)
    out.withUnsafeMutableBufferPointer { fill($0, stream) }
    return out
}

/// |got - reference| in units of the float32 ulp of the binade holding `reference`.
private func ulpError(_ got: Float, _ reference: Double) -> Double {
    let magnitude = abs(reference)
    let exponent = magnitude < Double(Float.leastNormalMagnitude) ? -126 : Int(magnitude.exponent)
    let ulp = Double(sign: .plus, exponent: exponent - 23, significand: 1)
    return abs(Double(got) - reference) / ulp
}

/// sin and cos of 2πu in Double, reduced exactly in turns first.
private func referenceSinCos(turns u: Float) -> (sin: Double, cos: Double) {
    let a = 4 * Double(u)
    let q = a.rounded()
    let theta = (a - q) * (Double.pi / 2)
    let (s, c) = (Foundation.sin(theta), Foundation.cos(theta))
    switch Int(q) & 3 {
    case 0: return (s, c)
    case 1: return (c, -s)
    case 2: return (-s, -c)
    default: return (-c, s)
    }
}

// MARK: - Philox block

struct PhiloxBlockTests {
    @Test(
        "Random123 known-answer vectors for philox4x32-10",
        arguments: [
            (
                SIMD4<UInt32>(0, 0, 0, 0), SIMD2<UInt32>(0, 0),
                SIMD4<UInt32>(0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)
            ),
            (
                SIMD4<UInt32>(repeating: 0xFFFF_FFFF), SIMD2<UInt32>(repeating: 0xFFFF_FFFF),
                SIMD4<UInt32>(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)
            ),
            (
                SIMD4<UInt32>(0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344),
                SIMD2<UInt32>(0xA409_3822, 0x299F_31D0),
                SIMD4<UInt32>(0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1)
            ),
        ])
    func knownAnswers(counter: SIMD4<UInt32>, key: SIMD2<UInt32>, expected: SIMD4<UInt32>) {
        #expect(Philox.block(counter: counter, key: key) == expected)
    }

    @Test("draw mapping: key = seed halves, counter = (j/4 halves, stream, 0), lane j % 4")
    func drawMapping() {
        let stream = RandomStream(seed: 0x0123_4567_89AB_CDEF, stream: 7, offset: (1 << 34) + 6)
        for index: UInt64 in 0..<9 {
            let j = stream.offset + index
            let block = Philox.block(
                counter: SIMD4(UInt32(truncatingIfNeeded: j / 4), UInt32(truncatingIfNeeded: (j / 4) >> 32), 7, 0),
                key: SIMD2(0x89AB_CDEF, 0x0123_4567))
            #expect(Philox.bits(stream, index: index) == block[Int(j % 4)])
        }
    }
}

// MARK: - Cross-check with scripts/philox_reference.py

struct ReferenceVectorTests {
    let stream = RandomStream(seed: 42, stream: 3)

    @Test("raw words and uniforms of seed 42 stream 3 equal the Python reference exactly")
    func uniforms() {
        let words: [UInt32] = [
            0x0A51_A6B2, 0x7214_8A91, 0xB918_C659, 0x9920_5BC7, 0x85A8_DF3C,
            0x1D91_B19B, 0xA9B1_302C, 0x3FAA_46E6, 0x5229_C193, 0xE58A_6D8C,
        ]
        let uniforms: [Float] = [
            0x1.4a34e0p-5, 0x1.c8522cp-2, 0x1.72318ep-1, 0x1.3240b6p-1, 0x1.0b51bep-1,
            0x1.d91b10p-4, 0x1.536262p-1, 0x1.fd5238p-3, 0x1.48a704p-2, 0x1.cb14dap-1,
        ]
        for i in 0..<10 {
            #expect(Philox.bits(stream, index: UInt64(i)) == words[i])
            #expect(Philox.uniform(stream, index: UInt64(i)) == uniforms[i])
        }
        #expect(filled(10, stream, Philox.fillUniform) == uniforms)
    }

    @Test("normals of seed 42 stream 3 equal the Python float32 emulation bit for bit")
    func normals() {
        let patterns: [UInt32] = [
            0xC018_D15E, 0x3F59_5BFB, 0xBF28_3174, 0xBEEE_7978, 0x3F5A_5035,
            0x3F41_B3B5, 0x3BF4_37D0, 0x3F68_2589, 0x3F99_B1C8, 0xBF69_643B,
        ]
        let float64Reference: [Double] = [
            -2.387778787, 0.849059755, -0.657004593, -0.465770477, 0.852786416,
            0.756648459, 0.007452942, 0.906822734, 1.200737906, -0.911685664,
        ]
        for i in 0..<10 {
            let z = Philox.normal(stream, index: UInt64(i))
            #expect(z.bitPattern == patterns[i])
            #expect(abs(Double(z) - float64Reference[i]) < 1e-6)
        }
        #expect(filled(10, stream, Philox.fillNormal).map(\.bitPattern) == patterns)
    }
}

// MARK: - Bulk fills and streams

struct StreamTests {
    /// Fills run eight blocks (32 draws) at a time between draw-wise heads and tails,
    /// so offsets and lengths cross every alignment, and the counter's carry into its high word.
    @Test("bulk fills equal the per-index draws for every offset mod 32, the 2^34 carry, and odd lengths")
    func bulkEqualsPerIndex() {
        for offset: UInt64 in Array(0...33) + [(1 << 34) - 37] {
            let stream = RandomStream(seed: 0xDEAD_BEEF_0BAD_F00D, stream: 5, offset: offset)
            for count in [0, 1, 2, 3, 5, 7, 9, 13, 31, 32, 33, 64, 101, 200] {
                let uniforms = filled(count, stream, Philox.fillUniform)
                let normals = filled(count, stream, Philox.fillNormal)
                let expectedUniforms = (0..<count).map { Philox.uniform(stream, index: UInt64($0)) }
                let expectedNormals = (0..<count).map { Philox.normal(stream, index: UInt64($0)) }
                #expect(uniforms.map(\.bitPattern) == expectedUniforms.map(\.bitPattern))
                #expect(normals.map(\.bitPattern) == expectedNormals.map(\.bitPattern))
            }
        }
    }

    @Test("advanced(by:) shifts draws; substream(_:) resets the offset")
    func advancing() {
        let base = RandomStream(seed: 9, stream: 2, offset: 3)
        let later = base.advanced(by: 5)
        #expect(later == RandomStream(seed: 9, stream: 2, offset: 8))
        for i: UInt64 in 0..<8 {
            #expect(Philox.uniform(later, index: i) == Philox.uniform(base, index: i + 5))
            #expect(Philox.normal(later, index: i).bitPattern == Philox.normal(base, index: i + 5).bitPattern)
        }
        #expect(base.substream(11) == RandomStream(seed: 9, stream: 11, offset: 0))
    }

    @Test("RandomStream round-trips through JSON, full 64-bit seed included")
    func codable() throws {
        let stream = RandomStream(seed: .max - 1, stream: .max, offset: 1 << 63 + 5)
        let decoded = try JSONDecoder().decode(RandomStream.self, from: JSONEncoder().encode(stream))
        #expect(decoded == stream)
    }

    @Test("different seeds and streams give different draws")
    func independence() {
        let base = RandomStream(seed: 1)
        let variants = [
            base, RandomStream(seed: 2), RandomStream(seed: 1 << 32 | 1), base.substream(1), base.substream(2),
        ]
        let draws = variants.map { filled(64, $0, Philox.fillUniform) }
        for a in 0..<draws.count {
            for b in (a + 1)..<draws.count {
                let equal = zip(draws[a], draws[b]).filter { $0 == $1 }.count
                #expect(equal <= 1, "streams \(a) and \(b) share \(equal) of 64 draws")
            }
        }
    }
}

// MARK: - Distributions

struct DistributionTests {
    static let count = 100_000

    @Test("uniforms lie in (0, 1), are exact multiples of 2^-24, and pass mean and KS checks")
    func uniformDistribution() {
        let u = filled(Self.count, RandomStream(seed: 2024, stream: 1), Philox.fillUniform)
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(u.allSatisfy { ($0 * 0x1p24).truncatingRemainder(dividingBy: 2) == 1 })
        #expect(Philox.uniform(bits: 0) == 0x1p-24)
        #expect(Philox.uniform(bits: .max) == 1 - 0x1p-24)

        let n = Double(Self.count)
        let mean = u.reduce(0.0) { $0 + Double($1) } / n
        // Standard error sqrt(1/12/n) ≈ 0.00091; allow about 5.5 of them.
        #expect(abs(mean - 0.5) < 0.005)
        let sorted = u.sorted()
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            d = max(d, abs(Double(x) - Double(i) / n), abs(Double(i + 1) / n - Double(x)))
        }
        // The 0.1% Kolmogorov–Smirnov critical value is 1.95/sqrt(n) ≈ 0.0062.
        #expect(d < 0.008)
    }

    @Test("normals: mean 0, variance 1, Kolmogorov–Smirnov against Φ, tail mass, pair correlation")
    func normalDistribution() {
        let z = filled(Self.count, RandomStream(seed: 77, stream: 4, offset: 1), Philox.fillNormal)
        #expect(z.allSatisfy { $0.isFinite })
        let n = Double(Self.count)
        let mean = z.reduce(0.0) { $0 + Double($1) } / n
        let variance = z.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / (n - 1)
        // Standard errors: mean 1/sqrt(n) ≈ 0.0032, variance sqrt(2/n) ≈ 0.0045.
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)

        let sorted = z.sorted()
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let phi = 0.5 * erfc(-Double(x) / 2.0.squareRoot())
            d = max(d, abs(phi - Double(i) / n), abs(Double(i + 1) / n - phi))
        }
        #expect(d < 0.008)

        // P(|Z| > 2) = 0.0455: expect 4550 ± 66 (one standard error).
        let tail = z.filter { abs($0) > 2 }.count
        #expect(abs(tail - 4550) < 400)
        // The largest attainable |Z| is sqrt(-2 ln 2^-24) ≈ 5.77.
        #expect(z.allSatisfy { abs($0) < 5.8 })

        // The two halves of a Box–Muller pair are uncorrelated (standard error ≈ 0.0045).
        let pairs = Self.count / 2
        var cross = 0.0
        // Offset 1 puts pair halves at elements (2k + 1, 2k + 2).
        for k in 0..<(pairs - 1) { cross += Double(z[2 * k + 1]) * Double(z[2 * k + 2]) }
        #expect(abs(cross / Double(pairs - 1)) < 0.03)
    }
}

// MARK: - Deterministic math

struct DeterministicMathTests {
    @Test("log is within 1 ulp of Double log over a grid of all positive finite floats")
    func logAccuracy() {
        // Normal floats eight lanes at a time (the lanes version is what every log runs),
        // subnormals through the scalar entry, which scales them first.
        // Dense around 1, where cancellation is hardest.
        let grid =
            Array(stride(from: UInt32(1), to: 0x7F80_0000, by: 257))
            + Array(stride(from: UInt32(0x3F00_0000), to: 0x4000_0000, by: 3))
        var worst = 0.0
        var lanes = DeterministicMath.Lanes(), filled = 0
        func flush() {
            let results = DeterministicMath.log(lanes)
            for lane in 0..<filled { worst = max(worst, ulpError(results[lane], Foundation.log(Double(lanes[lane])))) }
            filled = 0
        }
        for pattern in grid {
            let x = Float(bitPattern: pattern)
            guard x >= .leastNormalMagnitude else {
                worst = max(worst, ulpError(DeterministicMath.log(x), Foundation.log(Double(x))))
                continue
            }
            lanes[filled] = x
            filled += 1
            if filled == 8 { flush() }
        }
        flush()
        #expect(worst <= 1, "worst log error \(worst) ulp")
    }

    @Test("log special values")
    func logSpecialValues() {
        #expect(DeterministicMath.log(1) == 0)
        #expect(DeterministicMath.log(0) == -.infinity)
        #expect(DeterministicMath.log(.infinity) == .infinity)
        #expect(DeterministicMath.log(-1).isNaN)
        #expect(DeterministicMath.log(.nan).isNaN)
        #expect(DeterministicMath.log(0x1p-24) == Float(-24 * Foundation.log(2.0)))
    }

    @Test("sinCos(turns:) is within 2 ulp of Double sin and cos over a dense grid of [0, 1)")
    func sinCosAccuracy() {
        var worstSin = 0.0
        var worstCos = 0.0
        // Eight lanes at a time: the lanes version is what every sinCos runs.
        var lanes = DeterministicMath.Lanes(), filled = 0
        func flush() {
            let got = DeterministicMath.sinCos(turns: lanes)
            for lane in 0..<filled {
                let reference = referenceSinCos(turns: lanes[lane])
                worstSin = max(worstSin, ulpError(got.sin[lane], reference.sin))
                worstCos = max(worstCos, ulpError(got.cos[lane], reference.cos))
            }
            filled = 0
        }
        func check(_ u: Float) {
            lanes[filled] = u
            filled += 1
            if filled == 8 { flush() }
        }
        // Every multiple of 2^-22, then a stride through all float bit patterns in [2^-24, 1).
        for m in 0..<(1 << 22) { check(Float(m) * 0x1p-22) }
        var pattern: UInt32 = 0x3380_0000
        while pattern < 0x3F80_0000 {
            check(Float(bitPattern: pattern))
            pattern += 61
        }
        check(1 - 0x1p-24)
        flush()
        #expect(worstSin <= 2, "worst sin error \(worstSin) ulp")
        #expect(worstCos <= 2, "worst cos error \(worstCos) ulp")
    }

    @Test(
        "sinCos(turns:) is exact at quarter turns",
        arguments: [
            (Float(0), Float(0), Float(1)), (0.25, 1, 0), (0.5, 0, -1), (0.75, -1, 0),
        ])
    func quarterTurns(u: Float, sin: Float, cos: Float) {
        let got = DeterministicMath.sinCos(turns: u)
        #expect(got.sin == sin && got.cos == cos)
    }
}

// MARK: - Permutation

struct PermutationTests {
    @Test("permutation is a permutation, follows the documented Fisher–Yates, and depends on the seed")
    func permutation() {
        let stream = RandomStream(seed: 314, stream: 9, offset: 2)
        for count in [0, 1, 2, 3, 10, 257] {
            let p = Philox.permutation(count: count, stream: stream)
            #expect(p.sorted() == Array(0..<count))
            var expected = Array(0..<count)
            for i in stride(from: count - 1, to: 0, by: -1) {
                let word = Philox.bits(stream, index: UInt64(count - 1 - i))
                expected.swapAt(i, Int((UInt64(word) * UInt64(i + 1)) >> 32))
            }
            #expect(p == expected)
        }
        let a = Philox.permutation(count: 100, stream: RandomStream(seed: 1))
        let b = Philox.permutation(count: 100, stream: RandomStream(seed: 2))
        #expect(a != b)
        #expect(a == Philox.permutation(count: 100, stream: RandomStream(seed: 1)))
    }

    @Test("all 6 permutations of 3 elements are about equally likely")
    func uniformity() {
        var counts: [[Int]: Int] = [:]
        for stream in 0..<UInt32(6000) {
            counts[Philox.permutation(count: 3, stream: RandomStream(seed: 5, stream: stream)), default: 0] += 1
        }
        #expect(counts.count == 6)
        // Each count is 1000 ± 29 (one standard error).
        #expect(counts.values.allSatisfy { abs($0 - 1000) < 175 })
    }
}
