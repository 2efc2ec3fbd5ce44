import Foundation

extension JSONValue {
    /// A configuration field that a strict decode refuses: its dotted path and what is wrong.
    public struct DecodeProblem: Error, CustomStringConvertible {
        public var field: String
        public var problem: String
        public init(field: String, problem: String) { self.field = field; self.problem = problem }
        public var description: String { "\(field): \(problem)" }
    }

    /// Decodes a typed configuration, refusing keys it does not know: top-level keys against
    /// `knownKeys`, and the members of nested objects against `nested` (dotted path → keys, e.g.
    /// `"dedup.simhash"`). Unknown keys are reported in sorted order, so the error is the same on
    /// every run; type errors and missing keys name the field's dotted path.
    public func decode<T: Decodable>(_ type: T.Type, knownKeys: Set<String>, nested: [String: Set<String>] = [:]) throws -> T {
        try refuseUnknown(path: [], known: knownKeys)
        for (path, keys) in nested.sorted(by: { $0.key < $1.key }) {
            let components = path.split(separator: ".").map(String.init)
            try self[path: components]?.refuseUnknown(path: components, known: keys)
        }
        func field(_ path: [CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        do {
            return try JSONValueDecoder.decode(T.self, from: self)
        } catch let DecodingError.typeMismatch(expected, context) {
            throw DecodeProblem(field: field(context.codingPath), problem: "expected \(expected)")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw DecodeProblem(field: field(context.codingPath), problem: "expected \(expected), found null")
        } catch let DecodingError.keyNotFound(key, context) {
            throw DecodeProblem(field: field(context.codingPath + [key]), problem: "missing")
        } catch let DecodingError.dataCorrupted(context) {
            throw DecodeProblem(field: field(context.codingPath), problem: context.debugDescription)
        }
    }

    private func refuseUnknown(path: [String], known: Set<String>) throws {
        guard case .object(let members) = self else { return }
        for key in members.keys.sorted() where !known.contains(key) {
            throw DecodeProblem(field: (path + [key]).joined(separator: "."), problem: "unknown key (known: \(known.sorted().joined(separator: ", ")))")
        }
    }
}
