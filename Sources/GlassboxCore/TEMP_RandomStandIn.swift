public struct RandomStream: Hashable, Sendable, Codable {
    public var seed: UInt64
    public var stream: UInt32
    public var offset: UInt64
    public init(seed: UInt64, stream: UInt32 = 0, offset: UInt64 = 0) { self.seed = seed; self.stream = stream; self.offset = offset }
    public func advanced(by draws: UInt64) -> RandomStream { RandomStream(seed: seed, stream: stream, offset: offset + draws) }
    public func substream(_ stream: UInt32) -> RandomStream { RandomStream(seed: seed, stream: stream) }
}
public enum Philox {
    public static func fillUniform(_ out: UnsafeMutableBufferPointer<Float>, stream: RandomStream) {
        var g = SystemRandomNumberGenerator()
        for i in out.indices { out[i] = Float.random(in: 0.0001..<1, using: &g) }
    }
    public static func fillNormal(_ out: UnsafeMutableBufferPointer<Float>, stream: RandomStream) {
        var g = SystemRandomNumberGenerator()
        for i in out.indices { out[i] = Float.random(in: -1..<1, using: &g) }
    }
    public static func permutation(count: Int, stream: RandomStream) -> [Int] { Array(0..<count).shuffled() }
}
