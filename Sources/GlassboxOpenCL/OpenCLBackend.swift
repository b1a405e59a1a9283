import COpenCL
import Foundation
import GlassboxCore

/// The GPU half of Glassbox: every `Backend` operation as OpenCL kernels
/// (sources in `Kernels/`), on one device, with an in-order queue. The host
/// synchronises only when it reads data back.
///
/// Random operations reproduce `Philox` bit for bit, so the same seed gives
/// the same noise and masks here as on the `CPUBackend`.
public final class OpenCLBackend: Backend, @unchecked Sendable {
    public let device: OpenCLDevice
    /// The GEMM kernel's blocking on this device.
    public let gemmTiling: GEMMTiling
    let context: cl_context
    let queue: cl_command_queue
    let program: cl_program
    private let kernels: [String: cl_kernel]
    /// Serialises argument setting and launching: kernel objects are shared.
    private let launchLock = NSLock()

    public var name: String { "opencl:\(device.index) \(device.name)" }
    public var memoryCapacity: Int { device.globalMemory }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache = [Int: OpenCLBackend]()

    /// The backend of device `index` of ``OpenCLDevice/all()``, created (and its
    /// kernels compiled) once per process.
    public static func shared(deviceIndex index: Int) throws -> OpenCLBackend {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let backend = cache[index] { return backend }
        let devices = try OpenCLDevice.all()
        guard devices.indices.contains(index) else {
            throw GlassboxError.invalidArgument(
                "there is no OpenCL device \(index); \(devices.count) found (see `glassbox devices`)")
        }
        let backend = try OpenCLBackend(device: devices[index])
        cache[index] = backend
        return backend
    }

    /// Creates a context and queue on `device` and builds the kernels, with the GEMM
    /// blocking `gemmTiling` (by default ``GEMMTiling/chosen(for:environment:)``); a
    /// build failure throws an error carrying the compiler's log.
    public init(device: OpenCLDevice, sources: [String: String]? = nil, gemmTiling: GEMMTiling? = nil) throws {
        self.device = device
        self.gemmTiling = try gemmTiling ?? GEMMTiling.chosen(for: device)
        var status: cl_int = 0
        var deviceID: cl_device_id? = device.id
        guard let context = clCreateContext(nil, 1, &deviceID, nil, nil, &status) else {
            try checkOpenCL(status, "clCreateContext")
            throw GlassboxError.backend("clCreateContext returned no context")
        }
        self.context = context
        guard let queue = clCreateCommandQueue(context, device.id, 0, &status) else {
            clReleaseContext(context)
            try checkOpenCL(status, "clCreateCommandQueue")
            throw GlassboxError.backend("clCreateCommandQueue returned no queue")
        }
        self.queue = queue
        do {
            let text = KernelSources.program(from: try sources ?? KernelSources.load())
            program = try Self.build(text, context: context, device: device, options: self.gemmTiling.buildOptions)
        } catch {
            clReleaseCommandQueue(queue)
            clReleaseContext(context)
            throw error
        }
        var kernelCount: cl_uint = 0
        try checkOpenCL(clCreateKernelsInProgram(program, 0, nil, &kernelCount), "clCreateKernelsInProgram")
        var created = [cl_kernel?](repeating: nil, count: Int(kernelCount))
        try checkOpenCL(clCreateKernelsInProgram(program, kernelCount, &created, nil), "clCreateKernelsInProgram")
        var kernels = [String: cl_kernel]()
        for case let kernel? in created {
            kernels[
                try openCLString("clGetKernelInfo") {
                    clGetKernelInfo(kernel, cl_kernel_info(CL_KERNEL_FUNCTION_NAME), $0, $1, $2)
                }] = kernel
        }
        self.kernels = kernels
    }

    deinit {
        for kernel in kernels.values { clReleaseKernel(kernel) }
        clReleaseProgram(program)
        clReleaseCommandQueue(queue)
        clReleaseContext(context)
    }

    /// Compiles the program; `FP_CONTRACT` is off in the sources and division
    /// and square root are correctly rounded where the device supports it, so
    /// the Philox normals match the CPU's bit for bit.
    private static func build(_ text: String, context: cl_context, device: OpenCLDevice, options extra: String) throws
        -> cl_program
    {
        var status: cl_int = 0
        let program: cl_program? = text.withCString { pointer in
            var source: UnsafePointer<CChar>? = pointer
            var length = strlen(pointer)
            return clCreateProgramWithSource(context, 1, &source, &length, &status)
        }
        guard let program else {
            try checkOpenCL(status, "clCreateProgramWithSource")
            throw GlassboxError.backend("clCreateProgramWithSource returned no program")
        }
        let options =
            "-cl-std=CL1.2 \(extra)"
            + (device.correctlyRoundedDivideSqrt ? " -cl-fp32-correctly-rounded-divide-sqrt" : "")
        var deviceID: cl_device_id? = device.id
        let buildStatus = clBuildProgram(program, 1, &deviceID, options, nil, nil)
        guard buildStatus == CL_SUCCESS else {
            let text =
                (try? openCLString("clGetProgramBuildInfo") {
                    clGetProgramBuildInfo(program, device.id, cl_program_build_info(CL_PROGRAM_BUILD_LOG), $0, $1, $2)
                }) ?? "(no build log)"
            clReleaseProgram(program)
            throw GlassboxError.backend(
                "the OpenCL kernels failed to build on \(device.name) (\(openCLStatusName(buildStatus))); build log:\n\(text)"
            )
        }
        return program
    }

    // MARK: Memory

    /// A new uninitialised buffer of `count` floats.
    func allocate(_ count: Int) throws -> OpenCLBuffer {
        let bytes = max(count, 1) * MemoryLayout<Float>.size
        guard bytes <= device.maximumAllocation else {
            throw GlassboxError.outOfMemory(
                "\(bytes) bytes exceed the largest allocation of \(device.name) (\(device.maximumAllocation) bytes)")
        }
        var status: cl_int = 0
        guard let memory = clCreateBuffer(context, cl_mem_flags(CL_MEM_READ_WRITE), bytes, nil, &status) else {
            try checkOpenCL(status, "clCreateBuffer of \(bytes) bytes")
            throw GlassboxError.outOfMemory("clCreateBuffer of \(bytes) bytes returned nothing")
        }
        return OpenCLBuffer(memory: memory, count: count)
    }

    /// A new tensor of `shape` with uninitialised values, for a kernel to fill.
    func makeOutput(_ shape: Shape) throws -> Tensor {
        Tensor(shape: shape, buffer: try allocate(shape.count), backend: self)
    }

    /// The device buffer of a tensor owned by this backend.
    func buffer(of tensor: Tensor) throws -> OpenCLBuffer {
        guard let buffer = tensor.buffer as? OpenCLBuffer, tensor.backend === self else {
            throw GlassboxError.backend("a tensor of backend '\(tensor.backend.name)' was passed to \(name)")
        }
        return buffer
    }

    public func upload(_ values: [Float], shape: Shape) throws -> Tensor {
        guard values.count == shape.count else {
            throw GlassboxError.shapeMismatch("\(values.count) values for shape \(shape)")
        }
        let result = try makeOutput(shape)
        if !values.isEmpty {
            try values.withUnsafeBytes { bytes in
                try checkOpenCL(
                    clEnqueueWriteBuffer(
                        queue, try buffer(of: result).memory, cl_bool(CL_TRUE), 0, bytes.count,
                        bytes.baseAddress, 0, nil, nil), "clEnqueueWriteBuffer")
            }
        }
        return result
    }

    public func download(_ tensor: Tensor) throws -> [Float] {
        let source = try buffer(of: tensor)
        var values = [Float](repeating: 0, count: tensor.count)
        if !values.isEmpty {
            try values.withUnsafeMutableBytes { bytes in
                try checkOpenCL(
                    clEnqueueReadBuffer(
                        queue, source.memory, cl_bool(CL_TRUE), 0, bytes.count,
                        bytes.baseAddress, 0, nil, nil), "clEnqueueReadBuffer")
            }
        }
        return values
    }

    public func synchronize() throws {
        try checkOpenCL(clFinish(queue), "clFinish")
    }

    public func filled(_ shape: Shape, value: Float) throws -> Tensor {
        let result = try makeOutput(shape)
        try launch("kernel_fill", count: shape.count, .tensor(result), .float(value), .int(shape.count))
        return result
    }

    // MARK: Launching

    /// One argument of a kernel launch.
    enum Argument {
        case tensor(Tensor)
        case int(Int)
        case uint(UInt32)
        case ulong(UInt64)
        case float(Float)
        /// An `int8` vector (shape or stride metadata of up to eight axes, padded with zeros).
        case int8([Int])
    }

    /// Enqueues `kernel` over `count` work items (one dimension, group size
    /// chosen by the driver); nothing happens for zero items.
    func launch(_ kernel: String, count: Int, _ arguments: Argument...) throws {
        guard count > 0 else { return }
        try launch(kernel, global: [count], local: nil, arguments)
    }

    /// Enqueues `kernel` over a 1-, 2- or 3-D range; `global` is rounded up to a
    /// multiple of `local` when one is given (kernels check their bounds).
    func launch(_ kernel: String, global: [Int], local: [Int]?, _ arguments: [Argument]) throws {
        guard let handle = kernels[kernel] else {
            throw GlassboxError.backend("the OpenCL program has no kernel '\(kernel)'")
        }
        guard global.allSatisfy({ $0 > 0 }) else { return }
        var globalSize = global
        if let local { globalSize = zip(global, local).map { ($0 + $1 - 1) / $1 * $1 } }
        launchLock.lock()
        defer { launchLock.unlock() }
        for (index, argument) in arguments.enumerated() {
            let position = cl_uint(index)
            let status: cl_int
            switch argument {
            case .tensor(let tensor):
                var memory: cl_mem? = try buffer(of: tensor).memory
                status = clSetKernelArg(handle, position, MemoryLayout<cl_mem>.size, &memory)
            case .int(let value):
                guard let narrow = Int32(exactly: value) else {
                    throw GlassboxError.invalidArgument("\(value) exceeds the 32-bit sizes of the OpenCL kernels")
                }
                var copy = narrow
                status = clSetKernelArg(handle, position, MemoryLayout<Int32>.size, &copy)
            case .uint(var value):
                status = clSetKernelArg(handle, position, MemoryLayout<UInt32>.size, &value)
            case .ulong(var value):
                status = clSetKernelArg(handle, position, MemoryLayout<UInt64>.size, &value)
            case .float(var value):
                status = clSetKernelArg(handle, position, MemoryLayout<Float>.size, &value)
            case .int8(let values):
                guard values.count <= 8, let narrow = values.map({ Int32(exactly: $0) }) as? [Int32] else {
                    throw GlassboxError.invalidArgument(
                        "the OpenCL kernels take at most 8 axes of 32-bit extent, got \(values)")
                }
                var padded = narrow + Array(repeating: 0, count: 8 - narrow.count)
                status = clSetKernelArg(handle, position, 8 * MemoryLayout<Int32>.size, &padded)
            }
            try checkOpenCL(status, "setting argument \(index) of \(kernel)")
        }
        let localSize = local
        let status = globalSize.withUnsafeBufferPointer { globalPointer in
            if let localSize {
                return localSize.withUnsafeBufferPointer { localPointer in
                    clEnqueueNDRangeKernel(
                        queue, handle, cl_uint(globalSize.count), nil, globalPointer.baseAddress,
                        localPointer.baseAddress, 0, nil, nil)
                }
            }
            return clEnqueueNDRangeKernel(
                queue, handle, cl_uint(globalSize.count), nil, globalPointer.baseAddress, nil, 0, nil, nil)
        }
        try checkOpenCL(status, "launching \(kernel)")
    }
}
