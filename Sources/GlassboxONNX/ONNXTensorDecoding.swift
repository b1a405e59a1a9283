import Foundation
import GlassboxCore

/// Decoding of ONNX tensors (initializers, `Constant` values, test-data `.pb`
/// files) into host values, from `raw_data` (little-endian) or the typed fields.
enum ONNXTensorDecoding {
    /// The element type codes of `TensorProto.DataType`.
    enum ElementType: Int32 {
        case float = 1, uint8, int8, uint16, int16, int32, int64
        case bool = 9, float16, double, uint32, uint64
        case bfloat16 = 16

        /// Bytes per element in `raw_data`.
        var size: Int {
            switch self {
            case .uint8, .int8, .bool: 1
            case .uint16, .int16, .float16, .bfloat16: 2
            case .float, .int32, .uint32: 4
            case .int64, .double, .uint64: 8
            }
        }
    }

    /// The dimensions and the values (as Float64, exact for every integer type up to 2⁵³) of `tensor`.
    static func decode(_ tensor: Onnx_TensorProto) throws -> (shape: [Int], values: [Double]) {
        let name = tensor.name.isEmpty ? "a tensor" : "tensor '\(tensor.name)'"
        guard tensor.dims.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }),
              let count = tensor.dims.map({ Int($0) }).checkedProduct else {
            throw GlassboxError.invalidModel("\(name) has invalid dimensions \(tensor.dims)")
        }
        guard let type = ElementType(rawValue: tensor.dataType) else {
            throw GlassboxError.invalidModel("\(name) has element type \(tensor.dataType), which is not a supported numeric type")
        }
        guard tensor.dataLocation != .external else {
            throw GlassboxError.invalidModel("\(name) keeps its data in an external file that was not loaded")
        }
        let values: [Double]
        if !tensor.rawData.isEmpty {
            guard tensor.rawData.count == count * type.size else {
                throw GlassboxError.invalidModel("\(name) of shape \(tensor.dims) needs \(count * type.size) bytes of raw data, has \(tensor.rawData.count)")
            }
            values = decodeRaw(tensor.rawData, type: type, count: count)
        } else {
            values = switch type {
            case .float: tensor.floatData.map(Double.init)
            case .double: tensor.doubleData
            case .int64: tensor.int64Data.map(Double.init)
            case .uint32, .uint64: tensor.uint64Data.map(Double.init)
            case .float16: tensor.int32Data.map { Double(Float(Float16(bitPattern: UInt16(truncatingIfNeeded: $0)))) }
            case .bfloat16: tensor.int32Data.map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0) << 16)) }
            case .uint8, .int8, .uint16, .int16, .int32, .bool: tensor.int32Data.map(Double.init)
            }
            guard values.count == count else {
                throw GlassboxError.invalidModel("\(name) of shape \(tensor.dims) holds \(values.count) values instead of \(count)")
            }
        }
        return (tensor.dims.map { Int($0) }, values)
    }

    /// Little-endian elements of `type` from raw bytes.
    private static func decodeRaw(_ data: Data, type: ElementType, count: Int) -> [Double] {
        let bytes = [UInt8](data)
        func word(_ index: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[index * size + $1]) << (8 * UInt64($1)) }
        }
        return (0..<count).map { index in
            let bits = word(index, type.size)
            return switch type {
            case .float: Double(Float(bitPattern: UInt32(bits)))
            case .double: Double(bitPattern: bits)
            case .float16: Double(Float(Float16(bitPattern: UInt16(bits))))
            case .bfloat16: Double(Float(bitPattern: UInt32(bits) << 16))
            case .uint8, .uint16, .uint32, .uint64, .bool: Double(bits)
            case .int8: Double(Int8(truncatingIfNeeded: bits))
            case .int16: Double(Int16(truncatingIfNeeded: bits))
            case .int32: Double(Int32(truncatingIfNeeded: bits))
            case .int64: Double(Int64(bitPattern: bits))
            }
        }
    }
}

extension ConstantTensor {
    /// The values of an ONNX tensor.
    init(_ tensor: Onnx_TensorProto, name: String) throws {
        let (shape, values) = try ONNXTensorDecoding.decode(tensor)
        self.init(shape: shape, values: values)
    }
}
