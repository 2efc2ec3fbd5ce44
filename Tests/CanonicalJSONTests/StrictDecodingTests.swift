import CanonicalJSON
import Foundation
import Testing

/// The one strict decoder of configuration blocks (train, eval and every builtin kind's `with`).
@Suite struct StrictDecodingTests {
    struct Config: Decodable, Equatable {
        var size: Int?
        var inner: Inner?
        struct Inner: Decodable, Equatable { var depth: Int; var name: String? }
    }

    func problem(_ text: String, nested: [String: Set<String>] = ["inner": ["depth", "name"]]) -> JSONValue.DecodeProblem? {
        do { _ = try JSONValue.parse(text).decode(Config.self, knownKeys: ["size", "inner"], nested: nested); return nil } catch {
            return error as? JSONValue.DecodeProblem
        }
    }

    @Test func unknownKeysAreReportedInSortedOrderWithTheKnownOnes() {
        // Dictionary order varies run to run; the first unknown key in sorted order is reported, always
        // (with 40 unknown keys, an unsorted scan would name "k00" one run in 40).
        let keys = (0..<40).map { String(format: "\"k%02d\": %d", $0, $0) }.reversed().joined(separator: ", ")
        let p = problem("{\(keys), \"size\": 3}")
        #expect(p?.field == "k00" && p?.problem == "unknown key (known: inner, size)", "\(String(describing: p))")
    }

    @Test func nestedObjectsAreCheckedByDottedPath() {
        #expect(problem(#"{"inner": {"depth": 1, "width": 2}}"#)?.field == "inner.width")
        #expect(problem(#"{"inner": {"depth": 1, "width": 2}}"#, nested: [:]) == nil, "unchecked without a nested entry")
        let deep = try! JSONValue.parse(#"{"a": {"b": {"c": 1, "d": 2}}}"#)
        struct Deep: Decodable { var a: [String: [String: Int]] }
        #expect(throws: JSONValue.DecodeProblem.self) { _ = try deep.decode(Deep.self, knownKeys: ["a"], nested: ["a": ["b"], "a.b": ["c"]]) }
    }

    @Test func typeErrorsAndMissingFieldsNameTheirPath() {
        #expect(problem(#"{"size": "many"}"#)?.field == "size")
        #expect(problem(#"{"size": "many"}"#)?.problem.hasPrefix("expected") == true)
        #expect(problem(#"{"inner": {"name": "x"}}"#).map { "\($0)" } == "inner.depth: missing")
        #expect(problem(#"{"inner": {"depth": null}}"#)?.field == "inner.depth")
    }

    @Test func aValidBlockDecodes() throws {
        let config = try JSONValue.parse(#"{"size": 3, "inner": {"depth": 2}}"#).decode(Config.self, knownKeys: ["size", "inner"])
        #expect(config == Config(size: 3, inner: .init(depth: 2, name: nil)))
    }
}
