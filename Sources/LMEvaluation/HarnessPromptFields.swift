import PipelineSpec
import PromptTemplates

/// Reads a prompt's fields (`doc_to_text`, `doc_to_target`, `doc_to_choice`, `description`,
/// delimiters): templates are parsed here, so a template that does not parse is an error at its line.
struct FieldReader {
    let task: String

    func prompt(named name: String, from m: [String: SourceNode.Member], defaults: HarnessTask.Prompt?, location: SourceLocation) throws -> HarnessTask.Prompt {
        var prompt = defaults ?? HarnessTask.Prompt(name: name, docToText: nil, docToTarget: nil, docToChoice: nil, description: nil,
                                                    targetDelimiter: " ", fewshotDelimiter: "\n\n", location: location, fieldLocations: [:])
        prompt.name = name
        prompt.location = location
        for key in ["doc_to_text", "doc_to_target", "doc_to_choice"] {
            guard let member = m[key] else { continue }
            let field = try self.field(member, prompt: name)
            prompt.fieldLocations[key] = member.value.location
            switch key {
            case "doc_to_text": prompt.docToText = field
            case "doc_to_target": prompt.docToTarget = field
            default: prompt.docToChoice = field
            }
        }
        if let d = m["description"] {
            prompt.description = try template(text(d, prompt: name), at: d.value.location, prompt: name)
            prompt.fieldLocations["description"] = d.value.location
        }
        if let t = m["target_delimiter"] { prompt.targetDelimiter = try text(t, prompt: name) }
        if let f = m["fewshot_delimiter"] { prompt.fewshotDelimiter = try text(f, prompt: name) }
        return prompt
    }

    func field(_ member: SourceNode.Member, prompt: String) throws -> HarnessTask.Field {
        let node = member.value
        if case .int(let i)? = node.scalar { return .integer(i) }
        if let items = node.items {
            return .list(try items.map { item in
                guard let v = item.scalar, v != .null else { throw TaskFileError(item.location, task: task, prompt: prompt, "\(member.key) lists values, found a \(item.typeName)") }
                return v.displayText
            })
        }
        if let members = node.members {   // the harness takes a dict's values in order
            return .list(try members.map { m in
                guard let v = m.value.scalar else { throw TaskFileError(m.value.location, task: task, prompt: prompt, "\(member.key) maps to values") }
                return v.displayText
            })
        }
        return .template(try template(text(member, prompt: prompt), at: node.location, prompt: prompt))
    }

    func text(_ member: SourceNode.Member, prompt: String) throws -> String {
        guard case .string(let s)? = member.value.scalar else {
            throw TaskFileError(member.value.location, task: task, prompt: prompt, "'\(member.key)' must be a string, found a \(member.value.typeName)")
        }
        return s
    }

    /// Parses a template; its error points into the YAML file (line of the field + line in the template).
    func template(_ source: String, at location: SourceLocation, prompt: String) throws -> PromptTemplate {
        do { return try PromptTemplate(source) } catch let e as TemplateError {
            throw TaskFileError(location, task: task, prompt: prompt, "template does not parse: \(e)",
                                hint: "templates are Jinja: {{ field }}, {% if %}…{% endif %}, filters such as | trim; see docs/evaluation.md")
        }
    }
}
