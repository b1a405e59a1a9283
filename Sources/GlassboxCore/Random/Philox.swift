/// The Philox-4x32-10 counter-based random number generator of Salmon, Moraes, Dror & Shaw,
/// "Parallel random numbers: as easy as 1, 2, 3" (SC 2011), and the draw mapping that
/// turns its blocks into the uniform, normal and shuffle draws of a ``RandomStream``.
///
/// This documentation is the specification that the OpenCL C kernels follow bit for bit.
///
/// ## Draw mapping
///
/// Draw number `j` (a `UInt64`; draw `i` of a stream is `j = stream.offset + i`, modulo
/// 2^64) of a stream with seed `S` and stream number `n` is lane `j % 4` of
///
///     block(counter: (low32(j / 4), high32(j / 4), n, 0), key: (low32(S), high32(S)))
///
/// Its raw value is that 32-bit word (``bits(_:index:)``). From it:
///
/// - **Uniform**: ``uniform(bits:)`` of the word: `(Float(word >> 9) + 0.5) * 2^-23`.
/// - **Normal** (Box–Muller on a lane pair of the same block): with `x` the block and
///   `p = (j % 4) / 2`, `u0 = uniform(bits: x[2p])`, `u1 = uniform(bits: x[2p + 1])`,
///   `r = sqrt(-2 * log(u0))` (the product `-2 * log(u0)` is exact), and the draw is
///   `r * cos(2π u1)` for an even lane, `r * sin(2π u1)` for an odd lane, where `log` is
///   ``DeterministicMath/log(_:)`` and the pair `(sin, cos)` is
///   ``DeterministicMath/sinCos(turns:)-(Float)`` of `u1`. `sqrt` is the correctly rounded IEEE
///   square root. Draws `4b`, `4b+1` are thus the two halves of one Box–Muller pair, as are
///   `4b+2`, `4b+3`.
/// - **Permutation**: ``permutation(count:stream:)`` consumes raw words, draws `0, 1, 2, …`
///   of the stream.
///
/// Every float operation is an IEEE-754 binary32 basic operation, rounded to nearest even,
/// with no fused multiply-add, so an OpenCL port needs `#pragma OPENCL FP_CONTRACT OFF` and
/// correctly rounded division and square root (`-cl-fp32-correctly-rounded-divide-sqrt`).
public enum Philox {
    /// The Philox-4x32 round multiplier of counter word 0 (Salmon et al., SC 2011).
    static let multiplier0: UInt32 = 0xD251_1F53
    /// The Philox-4x32 round multiplier of counter word 2 (Salmon et al., SC 2011).
    static let multiplier1: UInt32 = 0xCD9E_8D57
    /// The Weyl-sequence key increments, golden ratio and sqrt(3) - 1 (Salmon et al., SC 2011).
    static let keyBump = SIMD2<UInt32>(0x9E37_79B9, 0xBB67_AE85)

    /// The Philox-4x32-10 bijection of Salmon et al., "Parallel random numbers: as easy as
    /// 1, 2, 3" (SC 2011), exactly as in Random123's `philox4x32_R(10, ctr, key)`.
    ///
    /// Ten rounds; before every round but the first the key is bumped,
    /// `key &+= (0x9E3779B9, 0xBB67AE85)`. A round, with full 64-bit products
    /// `p0 = 0xD2511F53 * c[0]` and `p1 = 0xCD9E8D57 * c[2]`, maps `c` to
    /// `(hi(p1) ^ c[1] ^ key[0], lo(p1), hi(p0) ^ c[3] ^ key[1], lo(p0))`.
    ///
    /// - Parameters:
    ///   - counter: The 128-bit counter, word 0 first.
    ///   - key: The 64-bit key, word 0 first.
    /// - Returns: The four 32-bit output words.
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        let words = blocks(
            counter: (
                Words(repeating: counter[0]), Words(repeating: counter[1]),
                Words(repeating: counter[2]), Words(repeating: counter[3])
            ), key: key)
        return SIMD4(words.0[0], words.1[0], words.2[0], words.3[0])
    }

    /// Eight 32-bit words, one per block of a bulk fill.
    typealias Words = SIMD8<UInt32>

    /// Eight Philox-4x32-10 blocks at once (lane b of every word is block b), each
    /// computed exactly as ``block(counter:key:)`` specifies.
    static func blocks(counter: (Words, Words, Words, Words), key: SIMD2<UInt32>) -> (Words, Words, Words, Words) {
        var c = counter
        var k = key
        for round in 0..<10 {
            if round > 0 { k &+= keyBump }
            // Full 64-bit products of 32-bit words.
            let p0 = SIMD8<UInt64>(truncatingIfNeeded: c.0) &* UInt64(multiplier0)
            let p1 = SIMD8<UInt64>(truncatingIfNeeded: c.2) &* UInt64(multiplier1)
            c = (
                Words(truncatingIfNeeded: p1 &>> 32) ^ c.1 ^ k[0], Words(truncatingIfNeeded: p1),
                Words(truncatingIfNeeded: p0 &>> 32) ^ c.3 ^ k[1], Words(truncatingIfNeeded: p0)
            )
        }
        return c
    }

    /// The eight consecutive blocks from block number `firstBlock` of `stream` (the draw mapping above).
    static func blocks(from firstBlock: UInt64, of stream: RandomStream) -> (Words, Words, Words, Words) {
        let index = SIMD8<UInt64>(repeating: firstBlock) &+ SIMD8<UInt64>(0, 1, 2, 3, 4, 5, 6, 7)
        return blocks(
            counter: (
                Words(truncatingIfNeeded: index), Words(truncatingIfNeeded: index &>> 32),
                Words(repeating: stream.stream), Words()
            ),
            key: SIMD2(UInt32(truncatingIfNeeded: stream.seed), UInt32(truncatingIfNeeded: stream.seed >> 32)))
    }

    /// The block holding global draw number `draw` of `stream` (the draw mapping above).
    static func block(containing draw: UInt64, of stream: RandomStream) -> SIMD4<UInt32> {
        let index = draw >> 2
        let counter = SIMD4<UInt32>(
            UInt32(truncatingIfNeeded: index),
            UInt32(truncatingIfNeeded: index >> 32),
            stream.stream,
            0)
        let key = SIMD2<UInt32>(
            UInt32(truncatingIfNeeded: stream.seed),
            UInt32(truncatingIfNeeded: stream.seed >> 32))
        return block(counter: counter, key: key)
    }

    /// The raw 32-bit word of draw `stream.offset + index` (modulo 2^64) of a Philox-4x32-10
    /// stream (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011):
    /// lane `j % 4` of the block with counter `(low32(j/4), high32(j/4), stream.stream, 0)`
    /// and key `(low32(seed), high32(seed))`.
    public static func bits(_ stream: RandomStream, index: UInt64) -> UInt32 {
        let draw = stream.offset &+ index
        return block(containing: draw, of: stream)[Int(truncatingIfNeeded: draw & 3)]
    }

    /// Maps a Philox-4x32-10 output word (Salmon et al., "Parallel random numbers: as easy
    /// as 1, 2, 3", SC 2011) to a uniform float in the open interval (0, 1).
    ///
    /// `(Float(bits >> 9) + 0.5) * 2^-23`: the top 23 bits select one of the 2^23 values
    /// `(2m + 1) / 2^24`, `m` in `0..<2^23`. Every step is exact, so the result is exactly
    /// representable, lies in `[2^-24, 1 - 2^-24]`, and is symmetric about 1/2. (24 bits
    /// cannot work: `(2m + 1) / 2^25` is not a float for `m >= 2^23`, and rounding
    /// `16777215.5` gives 1.)
    public static func uniform(bits: UInt32) -> Float {
        uniforms(bits: Words(repeating: bits))[0]
    }

    /// ``uniform(bits:)`` of eight words at once.
    static func uniforms(bits: Words) -> DeterministicMath.Lanes {
        (DeterministicMath.exactFloats(bits &>> 9) + 0.5) * 0x1p-23
    }

    /// Uniform draw `stream.offset + index` in (0, 1) of a Philox-4x32-10 stream (Salmon et
    /// al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): ``uniform(bits:)`` of
    /// ``bits(_:index:)``.
    public static func uniform(_ stream: RandomStream, index: UInt64) -> Float {
        uniform(bits: bits(stream, index: index))
    }

    /// Standard normal draw `stream.offset + index` of a Philox-4x32-10 stream (Salmon et
    /// al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), by the Box–Muller
    /// transform of a lane pair of its block, as specified in the draw mapping of ``Philox``.
    public static func normal(_ stream: RandomStream, index: UInt64) -> Float {
        let draw = stream.offset &+ index
        let pair = boxMuller(block(containing: draw, of: stream), lane: Int(truncatingIfNeeded: draw & 3))
        return draw & 1 == 0 ? pair.even : pair.odd
    }

    /// The Box–Muller pair of the lanes `2p`, `2p + 1` of `x` holding `lane`,
    /// `p = lane / 2`: `(r * cos(2π u1), r * sin(2π u1))`.
    private static func boxMuller(_ x: SIMD4<UInt32>, lane: Int) -> (even: Float, odd: Float) {
        let first = lane & 2
        let pair = boxMuller(Words(repeating: x[first]), Words(repeating: x[first + 1]))
        return (pair.even[0], pair.odd[0])
    }

    /// The Box–Muller pairs of eight lane pairs at once: `(r * cos(2π u1), r * sin(2π u1))`
    /// with `r = sqrt(-2 ln u0)`, u0 and u1 the uniforms of `first` and `second`.
    private static func boxMuller(_ first: Words, _ second: Words) -> (
        even: DeterministicMath.Lanes, odd: DeterministicMath.Lanes
    ) {
        let r = (-2 * DeterministicMath.log(uniforms(bits: first))).squareRoot()
        let angle = DeterministicMath.sinCos(turns: uniforms(bits: second))
        return (r * angle.cos, r * angle.sin)
    }

    /// Fills `out` with uniform draws of a Philox-4x32-10 stream (Salmon et al., "Parallel
    /// random numbers: as easy as 1, 2, 3", SC 2011): element `i` is
    /// ``uniform(_:index:)`` with index `i`, each block computed once.
    public static func fillUniform(_ out: UnsafeMutableBufferPointer<Float>, stream: RandomStream) {
        fill(
            out, stream: stream,
            drawWise: { out, stream in
                var cursor = Cursor(stream)
                for i in out.indices {
                    let (x, lane) = cursor.next()
                    out[i] = uniform(bits: x[lane])
                }
            }
        ) { words, target in
            for (lane, word) in [words.0, words.1, words.2, words.3].enumerated() {
                let values = uniforms(bits: word)
                for b in 0..<8 { target[4 * b + lane] = values[b] }
            }
        }
    }

    /// Fills `out` with standard normal draws of a Philox-4x32-10 stream (Salmon et al.,
    /// "Parallel random numbers: as easy as 1, 2, 3", SC 2011): element `i` is
    /// ``normal(_:index:)`` with index `i`, each block and Box–Muller pair computed once.
    public static func fillNormal(_ out: UnsafeMutableBufferPointer<Float>, stream: RandomStream) {
        fill(out, stream: stream, drawWise: fillNormalDrawWise) { words, target in
            // The pair of lanes 0, 1 and of lanes 2, 3 of each of eight blocks.
            for (first, second, place) in [(words.0, words.1, 0), (words.2, words.3, 2)] {
                let (even, odd) = boxMuller(first, second)
                for b in 0..<8 {
                    target[4 * b + place] = even[b]
                    target[4 * b + place + 1] = odd[b]
                }
            }
        }
    }

    /// Fills `out` from `stream` eight blocks (32 draws) at a time with `bulk`, and the
    /// draws before the first whole group of eight blocks and after the last with `drawWise`.
    private static func fill(
        _ out: UnsafeMutableBufferPointer<Float>, stream: RandomStream,
        drawWise: (UnsafeMutableBufferPointer<Float>, RandomStream) -> Void,
        bulk: ((Words, Words, Words, Words), UnsafeMutablePointer<Float>) -> Void
    ) {
        let head = min(out.count, Int((32 - stream.offset % 32) % 32))
        drawWise(UnsafeMutableBufferPointer(rebasing: out[..<head]), stream)
        var start = head
        while start + 32 <= out.count {
            let draw = stream.offset &+ UInt64(start)
            bulk(blocks(from: draw >> 2, of: stream), out.baseAddress! + start)
            start += 32
        }
        // Draws wrap modulo 2^64 (advanced(by:) would trap).
        drawWise(
            UnsafeMutableBufferPointer(rebasing: out[start...]),
            RandomStream(seed: stream.seed, stream: stream.stream, offset: stream.offset &+ UInt64(start)))
    }

    /// ``fillNormal(_:stream:)`` one draw at a time, each block and Box–Muller pair computed once.
    private static func fillNormalDrawWise(_ out: UnsafeMutableBufferPointer<Float>, stream: RandomStream) {
        var cursor = Cursor(stream)
        var i = out.startIndex
        while i < out.endIndex {
            let (x, lane) = cursor.next()
            let pair = boxMuller(x, lane: lane)
            if lane & 1 == 1 {
                out[i] = pair.odd
                i += 1
                continue
            }
            out[i] = pair.even
            i += 1
            if i < out.endIndex {
                _ = cursor.next()
                out[i] = pair.odd
                i += 1
            }
        }
    }

    /// A uniformly random permutation of `0..<count` drawn from a Philox-4x32-10 stream
    /// (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), for
    /// shuffling minibatches.
    ///
    /// Fisher–Yates from the end: start from `[0, 1, …, count - 1]`; for `i` from
    /// `count - 1` down to `1`, take the next raw word `w` (``bits(_:index:)`` with indices
    /// `0, 1, 2, …`, so `i` uses index `count - 1 - i`), let
    /// `k = Int((UInt64(w) * UInt64(i + 1)) >> 32)` (in `0...i`), and swap elements `i` and
    /// `k`. `count - 1` words are consumed; counts 0 and 1 consume none.
    ///
    /// - Precondition: `0 <= count <= 2^32`.
    public static func permutation(count: Int, stream: RandomStream) -> [Int] {
        precondition(count >= 0 && UInt64(count) <= 1 << 32, "permutation count out of range")
        var result = Array(0..<count)
        var cursor = Cursor(stream)
        for i in stride(from: count - 1, to: 0, by: -1) {
            let (x, lane) = cursor.next()
            let k = Int((UInt64(x[lane]) * UInt64(i + 1)) >> 32)
            result.swapAt(i, k)
        }
        return result
    }

    /// Walks the draws of a stream in order, computing each Philox block once.
    private struct Cursor {
        let stream: RandomStream
        var draw: UInt64
        var current = SIMD4<UInt32>()
        var hasBlock = false

        init(_ stream: RandomStream) {
            self.stream = stream
            self.draw = stream.offset
        }

        /// The block and lane of the next draw; advances by one draw.
        mutating func next() -> (block: SIMD4<UInt32>, lane: Int) {
            let lane = Int(truncatingIfNeeded: draw & 3)
            if lane == 0 || !hasBlock {
                current = Philox.block(containing: draw, of: stream)
                hasBlock = true
            }
            draw &+= 1
            return (current, lane)
        }
    }
}
