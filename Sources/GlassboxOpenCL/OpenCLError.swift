import COpenCL
import GlassboxCore

/// The name of an OpenCL status code, for error messages.
func openCLStatusName(_ status: cl_int) -> String {
    switch status {
    case CL_DEVICE_NOT_FOUND: "CL_DEVICE_NOT_FOUND"
    case CL_DEVICE_NOT_AVAILABLE: "CL_DEVICE_NOT_AVAILABLE"
    case CL_COMPILER_NOT_AVAILABLE: "CL_COMPILER_NOT_AVAILABLE"
    case CL_MEM_OBJECT_ALLOCATION_FAILURE: "CL_MEM_OBJECT_ALLOCATION_FAILURE"
    case CL_OUT_OF_RESOURCES: "CL_OUT_OF_RESOURCES"
    case CL_OUT_OF_HOST_MEMORY: "CL_OUT_OF_HOST_MEMORY"
    case CL_BUILD_PROGRAM_FAILURE: "CL_BUILD_PROGRAM_FAILURE"
    case CL_INVALID_VALUE: "CL_INVALID_VALUE"
    case CL_INVALID_KERNEL_NAME: "CL_INVALID_KERNEL_NAME"
    case CL_INVALID_KERNEL_ARGS: "CL_INVALID_KERNEL_ARGS"
    case CL_INVALID_ARG_INDEX: "CL_INVALID_ARG_INDEX"
    case CL_INVALID_ARG_SIZE: "CL_INVALID_ARG_SIZE"
    case CL_INVALID_WORK_GROUP_SIZE: "CL_INVALID_WORK_GROUP_SIZE"
    case CL_INVALID_BUFFER_SIZE: "CL_INVALID_BUFFER_SIZE"
    case CL_INVALID_BUILD_OPTIONS: "CL_INVALID_BUILD_OPTIONS"
    case -1001: "CL_PLATFORM_NOT_FOUND_KHR (no OpenCL driver is installed)"
    default: "OpenCL error \(status)"
    }
}

/// Turns a failed OpenCL status into a ``GlassboxError``: allocation and
/// resource failures become `GlassboxError.outOfMemory(_:)` so batched work
/// retries in smaller chunks; everything else is a backend error naming the call.
func checkOpenCL(_ status: cl_int, _ call: @autoclosure () -> String) throws {
    guard status != CL_SUCCESS else { return }
    let message = "\(call()) failed: \(openCLStatusName(status))"
    switch status {
    case CL_MEM_OBJECT_ALLOCATION_FAILURE, CL_OUT_OF_RESOURCES, CL_OUT_OF_HOST_MEMORY:
        throw GlassboxError.outOfMemory(message)
    default:
        throw GlassboxError.backend(message)
    }
}
