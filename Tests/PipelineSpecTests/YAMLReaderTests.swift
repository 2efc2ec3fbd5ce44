import CanonicalJSON
import Foundation
import Testing
@testable import PipelineSpec

/// The event-driven YAML reader: typing, locations, anchors and the errors it raises itself.
@Suite struct YAMLReaderTests {
    let reader = YAMLReader()

    @Test func scalarsAreTypedUnlessQuotedOrTaggedStr() throws {
        let node = try reader.read(text: "a: 1\nb: \"1\"\nc: !!str 1\nd: yes\ne: 'x'\nf: ~\ng: 1.5\n", file: "t.yaml")
        #expect(node.json == .object(["a": .int(1), "b": .string("1"), "c": .string("1"), "d": .bool(true), "e": .string("x"), "f": .null, "g": .double(1.5)]))
    }

    @Test func keysKeepTheTextTheyWereWrittenWith() throws {
        let node = try reader.read(text: "yes: 1\n1.0: 2\nnull: 3\n", file: "t.yaml")
        #expect(node.members?.map(\.key) == ["yes", "1.0", "null"])
    }

    @Test func locationsAreOneBasedLineAndColumn() throws {
        let node = try reader.read(text: "stages:\n  a: {run: x}\n", file: "t.yaml")
        let stage = try #require(node.member("stages")?.value.member("a"))
        #expect(stage.keyLocation == SourceLocation(file: "t.yaml", line: 2, column: 3))
        #expect(stage.value.member("run")?.value.location == SourceLocation(file: "t.yaml", line: 2, column: 12))
    }

    @Test func aliasesCopyTheAnchoredNode() throws {
        let node = try reader.read(text: "base: &b {x: 1, y: [a, b]}\ncopy: *b\n", file: "t.yaml")
        #expect(node.member("copy")?.value.json == node.member("base")?.value.json)
    }

    @Test func duplicateKeyNamesTheSecondOccurrence() {
        // Also past the linear-scan size (8 keys), where a set takes over.
        let many = (0..<12).map { "k\($0): 1" }.joined(separator: "\n") + "\nk3: 2\n"
        for (text, line) in [("a: 1\nb: 2\na: 3\n", 3), (many, 13)] {
            #expect(throws: ManifestError.self) { try reader.read(text: text, file: "t.yaml") }
            do { _ = try reader.read(text: text, file: "t.yaml") } catch let ManifestError.duplicateKey(location, _) {
                #expect(location.line == line)
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test func undefinedAliasAndSecondDocumentAreSyntaxErrors() {
        for text in ["a: *nothing\n", "a: 1\n---\nb: 2\n"] {
            do { _ = try reader.read(text: text, file: "t.yaml"); Issue.record("accepted \(text)") } catch let ManifestError.yamlSyntax(location, _) {
                #expect(location.file == "t.yaml" && location.line >= 1)
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test func invalidUTF8IsASyntaxErrorAtItsLine() throws {
        let dir = NSTemporaryDirectory() + "trellis-yaml-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var bytes = Array("a: 1\nb: ".utf8)
        bytes += [0xFF, 0xFE, 0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/bad.yaml"))
        do { _ = try reader.read(file: dir + "/bad.yaml", displayName: "bad.yaml"); Issue.record("accepted invalid UTF-8") } catch let ManifestError.yamlSyntax(location, problem) {
            #expect(location.file == "bad.yaml" && location.line == 2)
            #expect(problem.contains("UTF-8"))
        }
    }

    @Test func aliasBombIsChargedWithoutExpanding() {
        var text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...30 { text += "l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        // 10^30 nodes if expanded; the budget sees the sizes and stops at once.
        #expect(throws: ManifestError.self) { try reader.read(text: text, file: "t.yaml") }
    }
}
