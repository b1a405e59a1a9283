import Foundation
import GlassboxCore

/// Decoding of ONNX tensors (initializers, `Constant` values, test-data `.pb`
/// files) into host values, from `raw_data` (little-endian) or the typed
/// fields: `float_data` (FLOAT), `double_data` (DOUBLE), `int64_data` (INT64),
/// `uint64_data` (UINT32, UINT64), and `int32_data` for every narrower type
/// (INT8, INT16, INT32, UINT8, UINT16, BOOL, and the bits of FLOAT16/BFLOAT16).
///
/// The element count must match the dimensions exactly; problems are
/// `GlassboxError.invalidModel(_:)` errors naming the tensor (the model
/// reader turns them into errors naming the file).
enum ONNXTensorDecoding {
    /// The element type codes of `TensorProto.DataType` that can be decoded.
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
        let layout = try Layout(tensor)
        let values: [Double]
        if try layout.usesRawData(tensor) {
            values = rawDoubles(tensor.rawData, type: layout.type, count: layout.count)
        } else {
            values =
                switch layout.type {
                case .float: tensor.floatData.map { Double($0) }
                case .double: tensor.doubleData
                case .int64: tensor.int64Data.map { Double($0) }
                case .uint32, .uint64: tensor.uint64Data.map { Double($0) }
                case .float16:
                    tensor.int32Data.map { Double(Float(Float16(bitPattern: UInt16(truncatingIfNeeded: $0)))) }
                case .bfloat16: tensor.int32Data.map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0) << 16)) }
                case .uint8, .int8, .uint16, .int16, .int32, .bool: tensor.int32Data.map { Double($0) }
                }
            try layout.checkTypedCount(values.count)
        }
        return (layout.shape, values)
    }

    /// The dimensions and the values of `tensor` as Float32 (rounded to
    /// nearest for DOUBLE and large integers).
    static func decodeFloats(_ tensor: Onnx_TensorProto) throws -> (shape: [Int], values: [Float]) {
        let layout = try Layout(tensor)
        if layout.type == .float {
            if try layout.usesRawData(tensor) {
                return (
                    layout.shape, words(tensor.rawData, UInt32.self, count: layout.count).map(Float.init(bitPattern:))
                )
            }
            try layout.checkTypedCount(tensor.floatData.count)
            return (layout.shape, tensor.floatData)
        }
        let (shape, values) = try decode(tensor)
        return (shape, values.map(Float.init))
    }

    /// The checked dimensions, element count and type of a tensor.
    struct Layout {
        /// How errors call the tensor: "tensor 'w'" or "a tensor".
        let name: String
        let shape: [Int]
        let count: Int
        let type: ElementType

        init(_ tensor: Onnx_TensorProto) throws {
            name = tensor.name.isEmpty ? "a tensor" : "tensor '\(tensor.name)'"
            var count = 1
            for dimension in tensor.dims {
                guard dimension >= 0, dimension <= Int64(Int32.max) else {
                    throw GlassboxError.invalidModel("\(name) has invalid dimensions \(tensor.dims)")
                }
                let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
                guard !overflow else {
                    throw GlassboxError.invalidModel("\(name) has dimensions \(tensor.dims), too many elements")
                }
                count = product
            }
            guard let type = ElementType(rawValue: tensor.dataType) else {
                throw GlassboxError.invalidModel(
                    "\(name) has element type \(tensor.dataType), which is not a supported numeric type")
            }
            guard tensor.dataLocation != .external else {
                throw GlassboxError.invalidModel("\(name) keeps its data in an external file that was not loaded")
            }
            self.shape = tensor.dims.map { Int($0) }
            self.count = count
            self.type = type
        }

        /// Whether the values come from `raw_data`, whose size is then checked;
        /// `raw_data` wins when present, as in the ONNX runtime.
        func usesRawData(_ tensor: Onnx_TensorProto) throws -> Bool {
            guard !tensor.rawData.isEmpty else { return false }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: type.size)
            guard !overflow, tensor.rawData.count == bytes else {
                throw GlassboxError.invalidModel(
                    "\(name) of shape \(shape) needs \(overflow ? "more than Int.max" : "\(bytes)") bytes of raw data, has \(tensor.rawData.count)"
                )
            }
            return true
        }

        /// Checks the number of values found in a typed field.
        func checkTypedCount(_ found: Int) throws {
            guard found == count else {
                throw GlassboxError.invalidModel("\(name) of shape \(shape) holds \(found) values instead of \(count)")
            }
        }
    }

    /// Little-endian elements of `type` from raw bytes whose size was checked.
    private static func rawDoubles(_ data: Data, type: ElementType, count: Int) -> [Double] {
        switch type {
        case .float: words(data, UInt32.self, count: count).map { Double(Float(bitPattern: $0)) }
        case .double: words(data, UInt64.self, count: count).map(Double.init(bitPattern:))
        case .float16: words(data, UInt16.self, count: count).map { Double(Float(Float16(bitPattern: $0))) }
        case .bfloat16: words(data, UInt16.self, count: count).map { Double(Float(bitPattern: UInt32($0) << 16)) }
        case .uint8, .bool: words(data, UInt8.self, count: count).map { Double($0) }
        case .int8: words(data, Int8.self, count: count).map { Double($0) }
        case .uint16: words(data, UInt16.self, count: count).map { Double($0) }
        case .int16: words(data, Int16.self, count: count).map { Double($0) }
        case .int32: words(data, Int32.self, count: count).map { Double($0) }
        case .uint32: words(data, UInt32.self, count: count).map { Double($0) }
        case .int64: words(data, Int64.self, count: count).map { Double($0) }
        case .uint64: words(data, UInt64.self, count: count).map { Double($0) }
        }
    }

    /// `count` little-endian integers of type `T` from the start of `data`
    /// (which holds at least `count * T.size` bytes).
    private static func words<T: FixedWidthInteger>(_ data: Data, _: T.Type, count: Int) -> [T] {
        data.withUnsafeBytes { raw in
            (0..<count).map {
                T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))
            }
        }
    }
}

extension ConstantTensor {
    /// The values of an ONNX tensor.
    init(_ tensor: Onnx_TensorProto, name: String) throws {
        let (shape, values) = try ONNXTensorDecoding.decode(tensor)
        let type = ONNXTensorDecoding.ElementType(rawValue: tensor.dataType)
        self.init(
            shape: shape, values: values, integral: ![.float, .double, .float16, .bfloat16].contains(type))
    }
}
