import GlassboxCore
import GlassboxTestSupport
import Testing
@testable import GlassboxOpenCL

/// The OpenCL random and batched-sampling operations against the CPU backend:
/// Philox draws, dropout masks and noisy batches bit for bit, interpolation
/// batches and sample statistics within float tolerance.
@Suite("OpenCL random conformance", .enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"))
struct RandomConformanceTests {
    let cpu = CPUBackend.shared

    /// Streams whose offsets start at every lane, cross the 2^32 boundary of the
    /// draw index and of the block index, and wrap around 2^64.
    static let streams = [
        RandomStream(seed: 0, stream: 0, offset: 0),
        RandomStream(seed: 42, stream: 3, offset: 1),
        RandomStream(seed: 0xDEAD_BEEF_0BAD_F00D, stream: 5, offset: 6),
        RandomStream(seed: 7, stream: 0xFFFF_FFFF, offset: 3),
        RandomStream(seed: 0x0123_4567_89AB_CDEF, stream: 7, offset: (1 << 32) - 5),
        RandomStream(seed: 99, stream: 1, offset: (1 << 34) - 7),
        RandomStream(seed: .max, stream: 2, offset: .max - 9),
    ]
    static let lengths = [1, 3, 7, 33, 65, 127]

    private func bits(_ tensor: Tensor) throws -> [UInt32] { try tensor.toArray().map(\.bitPattern) }

    /// `stream` with `draws` draws skipped, its offset wrapping around 2^64 as draw numbers do.
    private func skipped(_ stream: RandomStream, _ draws: Int) -> RandomStream {
        RandomStream(seed: stream.seed, stream: stream.stream, offset: stream.offset &+ UInt64(draws))
    }

    /// The same statistics held by the CPU backend.
    private func onCPU(_ statistics: SampleStatistics) throws -> SampleStatistics {
        SampleStatistics(count: statistics.count,
                         mean: try cpu.upload(statistics.mean.toArray(), shape: statistics.mean.shape),
                         sumOfSquaredDeviations: try cpu.upload(statistics.sumOfSquaredDeviations.toArray(),
                                                                shape: statistics.sumOfSquaredDeviations.shape))
    }

    @Test("uniforms and normals equal the CPU's bit for bit", arguments: streams)
    func uniformsAndNormals(stream: RandomStream) throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        for length in Self.lengths {
            let shape: Shape = [length]
            #expect(try bits(gpu.randomUniform(shape, stream: stream)) == bits(cpu.randomUniform(shape, stream: stream)),
                    "uniform \(length) \(stream)")
            #expect(try bits(gpu.randomNormal(shape, mean: 0, standardDeviation: 1, stream: stream))
                    == bits(cpu.randomNormal(shape, mean: 0, standardDeviation: 1, stream: stream)), "normal \(length) \(stream)")
            #expect(try bits(gpu.randomNormal(shape, mean: -1.5, standardDeviation: 0.3, stream: stream))
                    == bits(cpu.randomNormal(shape, mean: -1.5, standardDeviation: 0.3, stream: stream)), "scaled \(length) \(stream)")
        }
    }

    @Test("a long odd fill equals the CPU's bit for bit")
    func longFill() throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        let stream = RandomStream(seed: 2024, stream: 9, offset: (1 << 32) + 3)
        for s in [stream, skipped(stream, 1)] {
            #expect(try bits(gpu.randomUniform([100_003], stream: s)) == bits(cpu.randomUniform([100_003], stream: s)))
            #expect(try bits(gpu.randomNormal([100_003], mean: 0, standardDeviation: 1, stream: s))
                    == bits(cpu.randomNormal([100_003], mean: 0, standardDeviation: 1, stream: s)))
        }
    }

    @Test("normals of seed 42 stream 3 have the Philox tests' bit patterns")
    func knownNormals() throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        let patterns: [UInt32] = [
            0xC018_D15E, 0x3F59_5BFB, 0xBF28_3174, 0xBEEE_7978, 0x3F5A_5035,
            0x3F41_B3B5, 0x3BF4_37D0, 0x3F68_2589, 0x3F99_B1C8, 0xBF69_643B,
        ]
        let stream = RandomStream(seed: 42, stream: 3)
        #expect(try bits(gpu.randomNormal([10], mean: 0, standardDeviation: 1, stream: stream)) == patterns)
        for start in 1..<4 {
            let tail = try bits(gpu.randomNormal([10 - start], mean: 0, standardDeviation: 1, stream: skipped(stream, start)))
            #expect(tail == Array(patterns[start...]))
        }
    }

    @Test("dropout masks equal the CPU's", arguments: [Float(0), 0.3, 0.5, 0.9])
    func dropout(probability: Float) throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        for (stream, length) in zip(Self.streams, Self.lengths + [1001]) {
            let shape: Shape = [1, length]
            #expect(try bits(gpu.dropoutMask(shape, probability: probability, stream: stream))
                    == bits(cpu.dropoutMask(shape, probability: probability, stream: stream)), "\(length) \(stream)")
        }
    }

    @Test func dropoutRejectsProbabilitiesOutsideTheUnitInterval() throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        for probability in [Float(1), -0.1, .nan] {
            #expect(throws: GlassboxError.invalidArgument("dropout probability \(probability) is not in [0, 1)")) {
                _ = try gpu.dropoutMask([4], probability: probability, stream: RandomStream(seed: 1))
            }
        }
    }

    @Test("noisy batches equal the CPU's and chunks equal the whole", arguments: [1, 3, 7, 33, 65, 127])
    func noisyBatch(size: Int) throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        var generator = SplitMix64(seed: UInt64(size))
        let values = generator.floats(size, -3, 3)
        let x = try gpu.upload(values, shape: [1, size]), reference = try cpu.upload(values, shape: [1, size])
        for stream in Self.streams {
            let whole = try bits(gpu.noisyBatch(x, count: 7, standardDeviation: 0.15, stream: stream))
            #expect(try whole == bits(cpu.noisyBatch(reference, count: 7, standardDeviation: 0.15, stream: stream)), "\(stream)")
            let first = try bits(gpu.noisyBatch(x, count: 3, standardDeviation: 0.15, stream: stream))
            let rest = try bits(gpu.noisyBatch(x, count: 4, standardDeviation: 0.15, stream: skipped(stream, 3 * size)))
            #expect(first + rest == whole, "\(stream)")
        }
    }

    @Test func samplingOperationsCheckTheirShapesLikeTheCPU() throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        let stream = RandomStream(seed: 5)
        let pair = try gpu.filled([2, 3], value: 1), one = try gpu.filled([1, 3], value: 1), other = try gpu.filled([1, 4], value: 0)
        let scalar = try gpu.upload([1], shape: [])
        #expect(throws: GlassboxError.self) { _ = try gpu.noisyBatch(pair, count: 2, standardDeviation: 1, stream: stream) }
        #expect(throws: GlassboxError.self) { _ = try gpu.noisyBatch(one, count: 0, standardDeviation: 1, stream: stream) }
        #expect(throws: GlassboxError.self) { _ = try gpu.noisyBatch(scalar, count: 2, standardDeviation: 1, stream: stream) }
        #expect(throws: GlassboxError.self) { _ = try gpu.interpolationBatch(one, baseline: other, alphas: [0.5]) }
        #expect(throws: GlassboxError.self) { _ = try gpu.interpolationBatch(pair, baseline: pair, alphas: [0.5]) }
        #expect(throws: GlassboxError.self) { _ = try gpu.interpolationBatch(one, baseline: one, alphas: []) }
        #expect(throws: GlassboxError.self) { _ = try gpu.sampleStatistics(gpu.filled([0, 3], value: 0)) }
        #expect(throws: GlassboxError.self) { _ = try gpu.sampleStatistics(scalar) }
    }

    @Test("interpolation batches match the CPU", arguments: [1, 3, 7, 33, 65, 127])
    func interpolation(size: Int) throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        var generator = SplitMix64(seed: 100 + UInt64(size))
        let input = generator.floats(size, -2, 2), baseline = generator.floats(size, -1, 1)
        for steps in [1, 3, 50] {
            let alphas = (0..<steps).map { Float($0) / Float(max(steps - 1, 1)) }
            let actual = try gpu.interpolationBatch(gpu.upload(input, shape: [1, size]), baseline: gpu.upload(baseline, shape: [1, size]),
                                                    alphas: alphas)
            let expected = try cpu.interpolationBatch(cpu.upload(input, shape: [1, size]), baseline: cpu.upload(baseline, shape: [1, size]),
                                                      alphas: alphas)
            #expect(actual.shape == expected.shape)
            #expect(relativeError(try actual.toArray(), try expected.toArray()) <= 1e-6)
        }
    }

    @Test("sample statistics match the CPU and merge across chunks", arguments: [1, 3, 7, 33, 65, 127])
    func sampleStatistics(size: Int) throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        var generator = SplitMix64(seed: 200 + UInt64(size))
        for samples in [1, 2, 7, 65] {
            let values = generator.floats(samples * size, 5, 7)
            let actual = try gpu.sampleStatistics(gpu.upload(values, shape: [samples, 1, size]))
            let expected = try cpu.sampleStatistics(cpu.upload(values, shape: [samples, 1, size]))
            #expect(actual.count == samples)
            #expect(actual.mean.shape == [1, 1, size])
            #expect(relativeError(try actual.mean.toArray(), try expected.mean.toArray()) <= 1e-6)
            #expect(relativeError(try actual.sumOfSquaredDeviations.toArray(), try expected.sumOfSquaredDeviations.toArray()) <= 1e-5)
        }
        // Chunks computed here, merged on the CPU, equal the whole batch computed here.
        let values = generator.floats(10 * size, -1, 1)
        let whole = try gpu.sampleStatistics(gpu.upload(values, shape: [10, size]))
        let merged = try onCPU(gpu.sampleStatistics(gpu.upload(Array(values[..<(3 * size)]), shape: [3, size])))
            .merged(with: onCPU(gpu.sampleStatistics(gpu.upload(Array(values[(3 * size)...]), shape: [7, size]))))
        #expect(merged.count == 10)
        #expect(relativeError(try merged.mean.toArray(), try whole.mean.toArray()) <= 1e-5)
        #expect(relativeError(try merged.sumOfSquaredDeviations.toArray(), try whole.sumOfSquaredDeviations.toArray()) <= 1e-5)
    }
}
