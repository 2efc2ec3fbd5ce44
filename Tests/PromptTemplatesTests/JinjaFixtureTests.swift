import CanonicalJSON
import Foundation
import PromptTemplates
import Testing

/// Every template of `Fixtures/jinja.json` renders as Jinja2 renders it for lm-evaluation-harness
/// (StrictUndefined, keep_trailing_newline), or fails with the same kind of error.
@Suite struct JinjaFixtureTests {
    struct Case { var template: String; var rendered: String?; var error: String? }

    static func load() throws -> (document: [String: TemplateValue], cases: [Case]) {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/jinja.json")
        let json = try JSONValue.parse(try Data(contentsOf: url))
        guard case .object(let root) = json, case .object(let doc)? = root["document"], case .array(let cases)? = root["cases"] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return (doc.mapValues(TemplateValue.init), cases.map { c in
            Case(template: c["template"]?.stringValue ?? "", rendered: c["rendered"]?.stringValue, error: c["error"]?.stringValue)
        })
    }

    @Test func rendersLikeJinja() throws {
        let (document, cases) = try Self.load()
        #expect(cases.count >= 70)
        for c in cases {
            do {
                let out = try PromptTemplate(c.template).render(document)
                #expect(c.error == nil, "\(c.template.debugDescription): Jinja fails with \(c.error ?? ""), we rendered \(out.debugDescription)")
                if let expected = c.rendered { #expect(out == expected, "\(c.template.debugDescription)") }
            } catch let e as TemplateError {
                #expect(c.error == e.kind.rawValue, "\(c.template.debugDescription): \(e)")
            }
        }
    }

    @Test func errorsNameTheirPlace() throws {
        #expect(throws: TemplateError(.undefined, "'missing' is undefined", line: 2, column: 3)) {
            try PromptTemplate("Q:\n  {{ missing }}").render([:])
        }
        #expect(throws: TemplateError(.syntax, "'if' is never closed with 'endif'", line: 1, column: 4)) { try PromptTemplate("ab {% if x %}") }
        #expect(throws: TemplateError.self) { try PromptTemplate("{% macro m() %}{% endmacro %}") }
        do { _ = try PromptTemplate("{{ x|shout }}").render(["x": .string("a")]); Issue.record("unknown filter rendered") } catch let e as TemplateError {
            #expect(e.kind == .unsupported && e.message.contains("shout"))
        }
    }

    @Test func literalsParseAsPythonLiterals() {
        #expect(PromptTemplate.literal("['a', \"b\\n\", 3, -1.5, None, True]") == .list([.string("a"), .string("b\n"), .int(3), .double(-1.5), .none, .bool(true)]))
        #expect(PromptTemplate.literal("{'k': [1]}") == .dict(["k": .list([.int(1)])]))
        #expect(PromptTemplate.literal("not a literal") == nil)
        #expect(PromptTemplate.literal("[x]") == nil)
        // A rendered list round-trips through literal parsing (doc_to_choice renders, then literal_eval).
        let items: TemplateValue = .list([.string("it's \"x\""), .string("a\tb\\c"), .string("été")])
        #expect(PromptTemplate.literal(items.pythonRepr) == items)
    }

    @Test func hugeValuesAreErrorsNotTraps() throws {
        #expect(throws: TemplateError.self) { try PromptTemplate("{{ 9223372036854775807 + 1 }}").render([:]) }
        #expect(throws: TemplateError.self) { try PromptTemplate("{{ 2 ** 64 }}").render([:]) }
        #expect(try PromptTemplate("{{ 2 ** 62 }} {{ (-1) ** 1000000001 }}").render([:]) == "4611686018427387904 -1")
        #expect(throws: TemplateError.self) { try PromptTemplate("{{ 'x' * 100000000 }}").render([:]) }
        #expect(throws: TemplateError.self) { try PromptTemplate("{{ range(1000000000)|length }}").render([:]) }
        #expect(try PromptTemplate("{{ -9223372036854775807 - 1 }}").render([:]) == "-9223372036854775808")
        #expect(throws: TemplateError.self) { try PromptTemplate("{{ (-9223372036854775807 - 1) // -1 }}").render([:]) }
    }
}
