/// Names one stream of random numbers for the counter-based Philox-4x32-10 generator
/// (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011).
///
/// A stream is a pure value: the Philox key is the ``seed``, and the Philox counter carries
/// the ``stream`` number and the index of a draw, so any draw of any stream can be computed
/// directly, on the CPU or in a GPU kernel, without sequential state. Draw `i` of a stream
/// is global draw number `offset + i` (modulo 2^64); see ``Philox`` for the exact mapping.
public struct RandomStream: Hashable, Sendable, Codable {
    /// The 64-bit seed; it becomes the Philox key `(low 32 bits, high 32 bits)`
    /// (Salmon et al., SC 2011).
    public var seed: UInt64
    /// The stream number; it occupies the third 32-bit word of the Philox counter
    /// (Salmon et al., SC 2011).
    public var stream: UInt32
    /// The global draw number of this stream's first draw (its draw 0)
    /// (Salmon et al., SC 2011).
    public var offset: UInt64

    /// Creates a stream of the counter-based Philox-4x32-10 generator
    /// (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011).
    ///
    /// - Parameters:
    ///   - seed: The 64-bit seed (the Philox key).
    ///   - stream: The stream number (counter word 2).
    ///   - offset: The global draw number of the first draw.
    public init(seed: UInt64, stream: UInt32 = 0, offset: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
        self.offset = offset
    }

    /// The same stream with its first `draws` draws skipped: ``offset`` `+ draws`
    /// (Philox-4x32-10, Salmon et al., SC 2011). Traps if the offset overflows.
    ///
    /// Draw `i` of the result is draw `draws + i` of `self`.
    public func advanced(by draws: UInt64) -> RandomStream {
        RandomStream(seed: seed, stream: stream, offset: offset + draws)
    }

    /// Another stream of the same seed: the given stream number, ``offset`` 0
    /// (Philox-4x32-10, Salmon et al., SC 2011).
    ///
    /// Distinct stream numbers give distinct Philox counters, hence independent draws.
    public func substream(_ stream: UInt32) -> RandomStream {
        RandomStream(seed: seed, stream: stream, offset: 0)
    }
}
