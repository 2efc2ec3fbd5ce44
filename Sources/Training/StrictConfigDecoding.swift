import Foundation

/// Decodes a stage's `with:` JSON into a configuration type whose every key is optional,
/// refusing unknown keys (listing the known ones) and naming the field of a wrong type.
/// Problems come back as (field, problem) so each kind wraps them in its own error.
public enum StrictConfigDecoding {
    public struct Problem: Error {
        public var field: String
        public var problem: String
    }

    /// `known`: the top-level keys; `nested`: known keys of object-valued keys (e.g. `model`).
    public static func decode<T: Decodable>(_ type: T.Type, json: Data, known: Set<String>, nested: [String: Set<String>] = [:]) throws -> T {
        let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:]
        for key in object.keys.sorted() where !known.contains(key) {
            throw Problem(field: key, problem: "unknown key (known: \(known.sorted().joined(separator: ", ")))")
        }
        for (key, keys) in nested {
            guard let inner = object[key] as? [String: Any] else { continue }
            for name in inner.keys.sorted() where !keys.contains(name) {
                throw Problem(field: "\(key).\(name)", problem: "unknown key (known: \(keys.sorted().joined(separator: ", ")))")
            }
        }
        do {
            return try JSONDecoder().decode(T.self, from: json)
        } catch let DecodingError.typeMismatch(expected, context) {
            throw Problem(field: context.codingPath.map(\.stringValue).joined(separator: "."), problem: "expected \(expected)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw Problem(field: (context.codingPath + [key]).map(\.stringValue).joined(separator: "."), problem: "missing")
        } catch let DecodingError.dataCorrupted(context) {
            throw Problem(field: context.codingPath.map(\.stringValue).joined(separator: "."), problem: context.debugDescription)
        }
    }
}
