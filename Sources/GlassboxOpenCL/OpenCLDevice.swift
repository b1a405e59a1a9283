import COpenCL
import Foundation
import GlassboxCore

/// An OpenCL device and what Glassbox needs to know of it.
public struct OpenCLDevice: Sendable {
    /// The position in ``OpenCLDevice/all()`` (what `--device opencl:N` names).
    public let index: Int
    public let platformName: String
    public let name: String
    /// "GPU", "CPU", "accelerator" or "other".
    public let type: String
    public let computeUnits: Int
    public let globalMemory: Int
    public let maximumAllocation: Int
    public let localMemory: Int
    public let maximumWorkGroupSize: Int
    /// Whether the device divides and takes square roots correctly rounded on
    /// request, as the bit-exact random numbers need.
    public let correctlyRoundedDivideSqrt: Bool
    nonisolated(unsafe) let id: cl_device_id

    public var isGPU: Bool { type == "GPU" }

    /// Every device of every OpenCL platform, platforms in driver order.
    /// Throws when no OpenCL platform can be found.
    public static func all() throws -> [OpenCLDevice] {
        var platformCount: cl_uint = 0
        try checkOpenCL(clGetPlatformIDs(0, nil, &platformCount), "clGetPlatformIDs")
        guard platformCount > 0 else { throw GlassboxError.backend("no OpenCL platform is installed") }
        var platforms = [cl_platform_id?](repeating: nil, count: Int(platformCount))
        try checkOpenCL(clGetPlatformIDs(platformCount, &platforms, nil), "clGetPlatformIDs")
        var devices = [OpenCLDevice]()
        for case let platform? in platforms {
            var deviceCount: cl_uint = 0
            let status = clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), 0, nil, &deviceCount)
            if status == CL_DEVICE_NOT_FOUND || deviceCount == 0 { continue }
            try checkOpenCL(status, "clGetDeviceIDs")
            var ids = [cl_device_id?](repeating: nil, count: Int(deviceCount))
            try checkOpenCL(
                clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), deviceCount, &ids, nil), "clGetDeviceIDs")
            let platformName = try platformString(platform, cl_platform_info(CL_PLATFORM_NAME))
            for case let id? in ids {
                devices.append(try OpenCLDevice(index: devices.count, platformName: platformName, id: id))
            }
        }
        return devices
    }

    init(index: Int, platformName: String, id: cl_device_id) throws {
        self.index = index
        self.platformName = platformName
        self.id = id
        name = try Self.string(id, cl_device_info(CL_DEVICE_NAME))
        let deviceType: cl_device_type = try Self.value(id, cl_device_info(CL_DEVICE_TYPE))
        type =
            if deviceType & cl_device_type(CL_DEVICE_TYPE_GPU) != 0 {
                "GPU"
            } else if deviceType & cl_device_type(CL_DEVICE_TYPE_CPU) != 0 {
                "CPU"
            } else if deviceType & cl_device_type(CL_DEVICE_TYPE_ACCELERATOR) != 0 { "accelerator" } else { "other" }
        computeUnits = Int(try Self.value(id, cl_device_info(CL_DEVICE_MAX_COMPUTE_UNITS)) as cl_uint)
        globalMemory = Int(clamping: try Self.value(id, cl_device_info(CL_DEVICE_GLOBAL_MEM_SIZE)) as cl_ulong)
        maximumAllocation = Int(clamping: try Self.value(id, cl_device_info(CL_DEVICE_MAX_MEM_ALLOC_SIZE)) as cl_ulong)
        localMemory = Int(clamping: try Self.value(id, cl_device_info(CL_DEVICE_LOCAL_MEM_SIZE)) as cl_ulong)
        maximumWorkGroupSize = try Self.value(id, cl_device_info(CL_DEVICE_MAX_WORK_GROUP_SIZE)) as Int
        let floatConfig: cl_device_fp_config = try Self.value(id, cl_device_info(CL_DEVICE_SINGLE_FP_CONFIG))
        correctlyRoundedDivideSqrt = floatConfig & cl_device_fp_config(CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0
    }

    private static func value<T>(_ id: cl_device_id, _ parameter: cl_device_info) throws -> T {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
        defer { pointer.deallocate() }
        try checkOpenCL(clGetDeviceInfo(id, parameter, MemoryLayout<T>.size, pointer, nil), "clGetDeviceInfo")
        return pointer.pointee
    }

    private static func string(_ id: cl_device_id, _ parameter: cl_device_info) throws -> String {
        try openCLString("clGetDeviceInfo") { clGetDeviceInfo(id, parameter, $0, $1, $2) }
    }

    private static func platformString(_ platform: cl_platform_id, _ parameter: cl_platform_info) throws -> String {
        try openCLString("clGetPlatformInfo") { clGetPlatformInfo(platform, parameter, $0, $1, $2) }
    }
}
