import COpenCL
import Foundation

/// Reads a string-valued OpenCL property: asks `query` for its size, then for its bytes.
func openCLString(
    _ call: String,
    _ query: (Int, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?) -> cl_int
) throws -> String {
    var size = 0
    try checkOpenCL(query(0, nil, &size), call)
    var bytes = [UInt8](repeating: 0, count: size + 1)
    try checkOpenCL(bytes.withUnsafeMutableBytes { query(size, $0.baseAddress, nil) }, call)
    return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
}
