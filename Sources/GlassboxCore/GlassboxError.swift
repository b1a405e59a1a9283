/// The errors Glassbox reports; each message is one line a user can act on.
public enum GlassboxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two tensors, or a tensor and a layer, disagree on shape.
    case shapeMismatch(String)
    /// An argument is outside the values the operation accepts.
    case invalidArgument(String)
    /// A file could not be read or is malformed; `path` names it.
    case invalidFile(path: String, reason: String)
    /// A backend (device, driver) failed.
    case backend(String)
    /// A model refers to something it does not contain (a node name, a parameter).
    case invalidModel(String)
    /// The device could not hold an allocation or a launch; batched work retries in smaller chunks.
    case outOfMemory(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let message): "shape mismatch: \(message)"
        case .invalidArgument(let message): "invalid argument: \(message)"
        case .invalidFile(let path, let reason): "\(path): \(reason)"
        case .backend(let message): "backend error: \(message)"
        case .invalidModel(let message): "invalid model: \(message)"
        case .outOfMemory(let message): "out of device memory: \(message)"
        }
    }
}
