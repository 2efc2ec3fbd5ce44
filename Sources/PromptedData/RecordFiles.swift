import CanonicalJSON
import FileIO
import Foundation
import PromptTemplates

/// JSON-lines records (one object per line) as templates see them. A first line that is a Trellis
/// format header (`{"format": "trellis.…", "version": …}`, as the corpus writes its files) is skipped.
public enum RecordFiles {
    public typealias Record = [String: TemplateValue]

    public struct ReadError: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var line: Int
        public var problem: String
        public var description: String { "\(path):\(line): \(problem)" }
    }

    public static func read(_ path: String) throws -> [Record] {
        guard let bytes = FileContents.read(path) else { throw ReadError(path: path, line: 0, problem: "cannot read the file") }
        return try jsonLines(bytes, path: path)
    }

    public static func jsonLines(_ bytes: [UInt8], path: String) throws -> [Record] {
        var records: [Record] = []
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let value: JSONValue
            do { value = try JSONValue.parse(Data(line)) } catch {
                throw ReadError(path: path, line: lineNumber, problem: "not valid JSON: \(error)")
            }
            guard case .object(let object) = value else { throw ReadError(path: path, line: lineNumber, problem: "each line must be a JSON object") }
            if lineNumber == 1, case .string(let format)? = object["format"], format.hasPrefix("trellis."), object["version"] != nil { continue }
            records.append(object.mapValues(TemplateValue.init))
        }
        return records
    }
}
