import FileIO
import Foundation

/// Failures of the content store. Corruption is an error to report, never a value to serve.
public enum StoreError: Error, CustomStringConvertible {
    case io(path: String, operation: String, errno: Int32)
    case corruptObject(digest: String, path: String, reason: String)
    case missingObject(digest: String)
    case badFormat(path: String, reason: String)
    case missingDependency(path: String)

    public var description: String {
        switch self {
        case .io(let path, let op, let e): return "\(op) \(path): \(String(cString: strerror(e)))"
        case .corruptObject(let d, let path, let reason): return "corrupt object \(d.prefix(12)) (\(path)): \(reason)"
        case .missingObject(let d): return "object \(d.prefix(12)) is missing from the store"
        case .badFormat(let path, let reason): return "\(path): \(reason)"
        case .missingDependency(let path): return "\(path) does not exist"
        }
    }
}

extension StoreError {
    /// Runs a file write, reporting a failed system call as the store's I/O error.
    static func writing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as FileIOError { throw StoreError.io(path: e.path, operation: e.operation, errno: e.errno) }
    }
}
