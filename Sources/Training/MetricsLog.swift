import FileIO
import Foundation

/// One line of `metrics.jsonl`: what happened at one optimizer step.
public struct StepMetrics: Codable, Equatable, Sendable {
    public var step: Int
    /// Tokens seen after this step.
    public var tokens: Int
    public var batch_size: Int
    public var lr: Double
    public var loss: Double
    public var grad_norm: Double
    public var tokens_per_second: Double
}

/// One line of `validation.jsonl`: mean next-token loss per corpus group after a step.
public struct ValidationMetrics: Codable, Equatable, Sendable {
    public var step: Int
    public var tokens: Int
    /// Token-weighted mean over groups.
    public var loss: Double
    public var groups: [String: Double]
}

/// Appends JSON lines to a file (sorted keys), one `write` per line, so a kill leaves whole lines.
public final class MetricsLog {
    public let path: String
    private let handle: FileHandle
    private let encoder: JSONEncoder

    public init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw TrainingError.missingInput(what: "a writable \(path)", searched: [path]) }
        self.handle = handle
        _ = try handle.seekToEnd()
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
    }

    deinit { try? handle.close() }

    public func append<T: Encodable>(_ record: T) throws {
        var line = try encoder.encode(record)
        line.append(0x0A)
        try handle.write(contentsOf: line)
    }

    /// Reads every record of a JSON-lines file (a missing file reads as none).
    public static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> [T] {
        guard let data = FileContents.read(path) else { return [] }
        let decoder = JSONDecoder()
        return try data.split(separator: 0x0A).map { try decoder.decode(T.self, from: Data($0)) }
    }
}
