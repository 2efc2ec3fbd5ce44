import PipelineSpec
import PromptTemplates

/// Renders one prompt of a task against documents as lm-evaluation-harness's `ConfigurableTask`
/// does: a field naming a column takes the column; a template renders (a rendered all-digit text
/// becomes an index when the task has choices; a rendered `[...]` target is a list); a rendered
/// `doc_to_choice` is read as a Python literal list.
struct HarnessPrompting {
    let task: HarnessTask
    let prompt: HarnessTask.Prompt
    let features: Set<String>

    func error(_ field: String, _ documentIndex: Int, _ message: String) -> TaskFileError {
        TaskFileError(prompt.fieldLocations[field] ?? prompt.location, task: task.name, prompt: prompt.name,
                      "\(field) on \(documentIndex < 0 ? "a few-shot example" : "document \(documentIndex)"): \(message)")
    }

    func render(_ field: HarnessTask.Field, name: String, _ doc: HarnessDataset.Document, index: Int) throws -> TemplateValue {
        switch field {
        case .integer(let i): return .int(i)
        case .list(let l): return .list(l.map { .string($0) })
        case .template(let t):
            if features.contains(t.source), let column = doc[t.source] { return column }
            do { return .string(try t.render(doc)) } catch let e as TemplateError {
                throw error(name, index, e.description)
            }
        }
    }

    /// `doc_to_text`: a string, or an int (an index into the choices).
    func text(_ doc: HarnessDataset.Document, index: Int) throws -> TemplateValue {
        let value = try render(prompt.docToText!, name: "doc_to_text", doc, index: index)
        if case .string(let s) = value, prompt.docToChoice != nil, Self.isDigits(s), let i = Int(s) { return .int(i) }
        return value
    }

    /// `doc_to_target`: an index (with choices), a string, or a list of either.
    func target(_ doc: HarnessDataset.Document, index: Int) throws -> TemplateValue {
        let value = try render(prompt.docToTarget!, name: "doc_to_target", doc, index: index)
        guard case .string(let s) = value, case .template(let t) = prompt.docToTarget!, !features.contains(t.source) else { return value }
        if prompt.docToChoice != nil, Self.isDigits(s), let i = Int(s) { return .int(i) }
        if s.count >= 2, s.hasPrefix("["), s.hasSuffix("]"), let list = PromptTemplate.literal(s) { return list }
        return value
    }

    func choices(_ doc: HarnessDataset.Document, index: Int) throws -> [String] {
        guard let field = prompt.docToChoice else { throw error("doc_to_choice", index, "the task has no doc_to_choice") }
        var value = try render(field, name: "doc_to_choice", doc, index: index)
        if case .template(let t) = field, !features.contains(t.source), case .string(let s) = value {
            guard let literal = PromptTemplate.literal(s) else {
                throw error("doc_to_choice", index, "rendered \(TemplateValue.quoted(String(s.prefix(80)))), which is not a Python list literal")
            }
            value = literal
        }
        let list: [String]
        switch value {
        case .list(let items): list = items.map(\.pythonString)
        case .dict(let d): list = d.keys.sorted().map { d[$0]!.pythonString }
        default: throw error("doc_to_choice", index, "must give a list of choices, gave a \(value.typeName)")
        }
        guard list.count >= 2 else { throw error("doc_to_choice", index, "gave \(list.count) choice; multiple choice needs at least 2") }
        return list
    }

    /// The gold choice index (or indices) of a multiple-choice document.
    func goldIndices(_ doc: HarnessDataset.Document, index: Int, choices: [String]) throws -> [Int] {
        func resolve(_ v: TemplateValue) throws -> Int {
            switch v {
            case .int(let i) where choices.indices.contains(i): return i
            case .string(let s):
                if let i = choices.firstIndex(of: s) { return i }
                throw error("doc_to_target", index, "\(TemplateValue.quoted(s)) is not one of the choices \(TemplateValue.list(choices.map { .string($0) }).pythonRepr)")
            default: throw error("doc_to_target", index, "\(v.pythonRepr) is not a choice index below \(choices.count)")
            }
        }
        let target = try self.target(doc, index: index)
        if case .list(let items) = target { return try items.map(resolve) }
        return [try resolve(target)]
    }

    /// A target as the few-shot examples and generation references write it.
    func targetText(_ doc: HarnessDataset.Document, index: Int) throws -> String {
        let target = try self.target(doc, index: index)
        switch target {
        case .list(let items): return items.first?.pythonString ?? ""
        case .string(let s): return s
        default:
            guard prompt.docToChoice != nil else { return target.pythonString }
            let choices = try self.choices(doc, index: index)
            guard case .int(let i) = target, choices.indices.contains(i) else { throw error("doc_to_target", index, "\(target.pythonRepr) is not a choice index") }
            return choices[i]
        }
    }

    /// The question text of a document (an int `doc_to_text` selects a choice).
    func questionText(_ doc: HarnessDataset.Document, index: Int) throws -> String {
        let value = try text(doc, index: index)
        if case .int(let i) = value {
            let choices = try self.choices(doc, index: index)
            guard choices.indices.contains(i) else { throw error("doc_to_text", index, "index \(i) is not below \(choices.count)") }
            return choices[i]
        }
        return value.pythonString
    }

    static func isDigits(_ s: String) -> Bool { !s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal } }
}
