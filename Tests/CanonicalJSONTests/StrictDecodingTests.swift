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

    struct Wide: Codable, Equatable {
        var seed: UInt64
        var rate: Float
        var ratio: Double
        var small: Int8?
        var tags: [String]
        var grid: [[Int]]
        var extra: JSONValue?
    }

    @Test func decodingTheTreeAgreesWithJSONDecoderOnTheText() throws {
        let text = #"{"seed": 9223372036854775808, "rate": 0.1, "ratio": 2, "small": null, "tags": ["a", "b"], "grid": [[1], [2, 3]], "extra": {"k": [1, "x"]}}"#
        let tree = try JSONValue.parse(text)
        let fromTree = try tree.decode(Wide.self, knownKeys: ["seed", "rate", "ratio", "small", "tags", "grid", "extra"])
        #expect(fromTree.seed == 1 << 63 && fromTree.rate == 0.1 && fromTree.ratio == 2 && fromTree.small == nil)
        #expect(fromTree.grid == [[1], [2, 3]] && fromTree.extra == .object(["k": .array([.int(1), .string("x")])]))
        let viaText = try JSONDecoder().decode(Wide.self, from: Data(text.utf8))
        #expect(fromTree.tags == viaText.tags && fromTree.grid == viaText.grid && fromTree.rate == viaText.rate && fromTree.seed == viaText.seed)
    }

    @Test func treeDecodingErrorsNameTheirPath() {
        func problem(_ text: String) -> JSONValue.DecodeProblem? {
            do { _ = try JSONValue.parse(text).decode(Wide.self, knownKeys: ["seed", "rate", "ratio", "small", "tags", "grid", "extra"]); return nil } catch {
                return error as? JSONValue.DecodeProblem
            }
        }
        let base = #""seed": 1, "rate": 1, "ratio": 1, "tags": []"#
        #expect(problem("{\(base), \"grid\": [[1], [2, \"x\"]]}")?.field == "grid.Index 1.Index 1")
        #expect(problem("{\(base), \"grid\": [], \"small\": 300}").map { $0.field == "small" && $0.problem.contains("does not fit") } == true)
        #expect(problem("{\(base), \"grid\": [], \"small\": 1.5}")?.field == "small")
        #expect(problem(#"{"seed": 1, "rate": 1, "ratio": 1, "grid": []}"#).map { "\($0)" } == "tags: missing")
        #expect(problem("{\(base), \"grid\": {}}")?.problem.hasPrefix("expected") == true)
    }
}
