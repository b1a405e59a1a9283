import Foundation
import GlassboxCore

/// Loading of initializers whose `data_location` is `EXTERNAL`: their bytes
/// live in another file, named by the `external_data` entries `location`
/// (relative to the model's folder), `offset` and `length` (both optional,
/// in bytes; without `length` the data runs to the end of the file).
enum ONNXExternalData {
    /// Reads the external bytes of `tensor` into its `raw_data` and marks it
    /// as holding its data inline. Errors name the model file (`modelPath`)
    /// and, in the reason, the initializer and the data file.
    static func load(into tensor: inout Onnx_TensorProto, folder: URL, modelPath: String) throws {
        let name = "initializer '\(tensor.name)'"
        func problem(_ reason: String) -> GlassboxError { .invalidFile(path: modelPath, reason: "\(name) \(reason)") }

        let entries = Dictionary(tensor.externalData.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        guard let location = entries["location"], !location.isEmpty else {
            throw problem("has external data without a location")
        }
        guard !location.hasPrefix("/"), !location.split(separator: "/").contains("..") else {
            throw problem("keeps its data in '\(location)', which is not a path inside the model's folder")
        }
        let offset = try byteCount(entries["offset"], key: "offset", problem: problem) ?? 0
        let length = try byteCount(entries["length"], key: "length", problem: problem)

        let file = folder.appendingPathComponent(location)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), !isFolder.boolValue,
            let handle = try? FileHandle(forReadingFrom: file)
        else {
            throw problem("keeps its data in '\(location)', which is missing beside the model")
        }
        defer { try? handle.close() }
        do {
            let size = Int(clamping: try handle.seekToEnd())
            let available = offset <= size ? size - offset : -1
            let wanted = length ?? max(available, 0)
            guard available >= 0, wanted <= available else {
                throw problem(
                    "needs \(length.map { "\($0) bytes" } ?? "data") at offset \(offset) of '\(location)', which holds only \(size) bytes"
                )
            }
            try handle.seek(toOffset: UInt64(offset))
            let bytes = try handle.read(upToCount: wanted) ?? Data()
            guard bytes.count == wanted else {
                throw problem("could read only \(bytes.count) of \(wanted) bytes from '\(location)'")
            }
            tensor.rawData = bytes
        } catch let error as GlassboxError {
            throw error
        } catch {
            throw problem("keeps its data in '\(location)', which cannot be read: \(error.localizedDescription)")
        }
        tensor.dataLocation = .default
        tensor.externalData = []
    }

    /// A non-negative decimal byte count from an `external_data` entry, or nil when the entry is absent.
    private static func byteCount(_ text: String?, key: String, problem: (String) -> GlassboxError) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw problem("has external data with \(key) '\(text)', which is not a byte count")
        }
        return value
    }
}
