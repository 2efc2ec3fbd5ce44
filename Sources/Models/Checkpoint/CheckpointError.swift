/// Problems reading or writing checkpoints and configurations. Every case names the file,
/// tensor or key at fault.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case truncated(path: String, reason: String)
    case invalidHeader(path: String, reason: String)
    case missingTensor(name: String)
    case unexpectedTensor(name: String)
    case shapeMismatch(name: String, expected: [Int], actual: [Int])
    case unsupportedDType(name: String, dtype: String)
    case missingConfigKey(key: String)
    case unknownConfigKey(key: String)
    case invalidConfigValue(key: String, reason: String)
    case invalidInput(reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path): return "file not found: \(path)"
        case .truncated(let path, let reason): return "truncated safetensors file \(path): \(reason)"
        case .invalidHeader(let path, let reason): return "invalid safetensors header in \(path): \(reason)"
        case .missingTensor(let name): return "checkpoint is missing tensor '\(name)'"
        case .unexpectedTensor(let name): return "checkpoint has unexpected tensor '\(name)' (misnamed?)"
        case .shapeMismatch(let name, let expected, let actual):
            return "tensor '\(name)' has shape \(actual), expected \(expected)"
        case .unsupportedDType(let name, let dtype):
            return "tensor '\(name)' has dtype \(dtype); supported: F32, F16, BF16"
        case .missingConfigKey(let key): return "config.json is missing required key '\(key)'"
        case .unknownConfigKey(let key): return "config.json has unknown key '\(key)'"
        case .invalidConfigValue(let key, let reason): return "config.json key '\(key)': \(reason)"
        case .invalidInput(let reason): return "invalid input: \(reason)"
        }
    }
}
