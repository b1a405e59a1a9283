import Foundation

extension CPUBackend {
    public func softmax(_ x: Tensor, axis: Int, logarithm: Bool) throws -> Tensor {
        let lanes = try AxisLanes(x.shape, axis: axis)
        let input = try storage(of: x)
        let (result, output) = makeOutput(x.shape)
        lanes.forEachLane { offsets in
            let largest = offsets.map { input[$0] }.max() ?? 0
            var total: Float = 0
            for offset in offsets { total += Foundation.exp(input[offset] - largest) }
            let logTotal = Foundation.log(total)
            for offset in offsets {
                let shifted = input[offset] - largest
                output[offset] = logarithm ? shifted - logTotal : Foundation.exp(shifted) / total
            }
        }
        return result
    }

    public func softmaxBackward(_ gradOutput: Tensor, output: Tensor, axis: Int, logarithm: Bool) throws -> Tensor {
        guard gradOutput.shape == output.shape else {
            throw GlassboxError.shapeMismatch("softmax gradient \(gradOutput.shape) for output \(output.shape)")
        }
        let lanes = try AxisLanes(output.shape, axis: axis)
        let dy = try storage(of: gradOutput), y = try storage(of: output)
        let (result, dx) = makeOutput(output.shape)
        lanes.forEachLane { offsets in
            if logarithm {
                // y = log softmax(x): dx = dy − softmax(x)·Σ dy
                let total = offsets.reduce(Float(0)) { $0 + dy[$1] }
                for offset in offsets { dx[offset] = dy[offset] - Foundation.exp(y[offset]) * total }
            } else {
                // y = softmax(x): dx = y·(dy − Σ dy·y)
                let dot = offsets.reduce(Float(0)) { $0 + dy[$1] * y[$1] }
                for offset in offsets { dx[offset] = y[offset] * (dy[offset] - dot) }
            }
        }
        return result
    }
}
