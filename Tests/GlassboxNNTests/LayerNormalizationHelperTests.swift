import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// `LayerNormalization` multiplies and shifts by rows and by columns with the backend's
/// per-channel operations; they must give exactly what the broadcasting `Backend.binary` gives.
@Suite("LayerNormalization row and column helpers")
struct LayerNormalizationHelperTests {
    @Test(arguments: [(1, 1), (3, 5), (197, 768), (64, 1)])
    func theHelpersEqualBroadcastBinaries(rows: Int, columns: Int) throws {
        let backend = CPUBackend.shared
        var random = SplitMix64(name: "layer-norm helpers \(rows)×\(columns)")
        // Some zeros, so that signed zeros meet the operations too.
        func tensor(_ shape: Shape) throws -> Tensor {
            try backend.upload(random.floats(shape.count, -3, 3, zeroEvery: 7), shape: shape)
        }
        let values = try tensor([rows, columns]), column = try tensor([rows, 1]), row = try tensor([1, columns])
        let pairs: [(Tensor, Tensor)] = [
            (
                try LayerNormalization.addingPerRow(values, column, backend: backend),
                try backend.binary(values, column, .add)
            ),
            (
                try LayerNormalization.multiplyingPerRow(values, column, backend: backend),
                try backend.binary(values, column, .multiply)
            ),
            (
                try LayerNormalization.addingPerColumn(values, row, backend: backend),
                try backend.binary(values, row, .add)
            ),
            (
                try LayerNormalization.multiplyingPerColumn(values, row, backend: backend),
                try backend.binary(values, row, .multiply)
            ),
        ]
        for (helper, binary) in pairs {
            #expect(helper.shape == binary.shape)
            #expect(try helper.toArray() == binary.toArray())
        }
    }
}
