import CanonicalJSON
import CLibYAML

/// libyaml's parser over a UTF-8 buffer, one event at a time; the current event stays readable
/// until the next call. Errors become `ManifestError.yamlSyntax` with the file, line and column.
final class YAMLEventStream {
    private var parser = yaml_parser_t()
    private var event = yaml_event_t()
    private var hasEvent = false
    private let file: String
    private let bytes: UnsafeBufferPointer<UInt8>

    /// `bytes` must outlive the stream.
    init(bytes: UnsafeBufferPointer<UInt8>, file: String) throws {
        self.file = file
        self.bytes = bytes
        guard yaml_parser_initialize(&parser) == 1 else { throw ManifestError.yamlSyntax(SourceLocation(file: file, line: 1, column: 1), problem: "out of memory") }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
    }

    deinit {
        if hasEvent { yaml_event_delete(&event) }
        yaml_parser_delete(&parser)
    }

    /// Advances to the next event and returns its type.
    @discardableResult
    func next() throws -> yaml_event_type_t {
        if hasEvent { yaml_event_delete(&event); hasEvent = false }
        guard yaml_parser_parse(&parser, &event) == 1 else { throw syntaxError() }
        hasEvent = true
        return event.type
    }

    var type: yaml_event_type_t { event.type }

    /// Where the current event starts (1-based).
    var location: SourceLocation {
        SourceLocation(file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
    }

    /// The anchor of a scalar, sequence or mapping, or the name an alias refers to.
    var anchor: String? {
        let pointer: UnsafeMutablePointer<yaml_char_t>?
        switch event.type {
        case YAML_ALIAS_EVENT: pointer = event.data.alias.anchor
        case YAML_SCALAR_EVENT: pointer = event.data.scalar.anchor
        case YAML_SEQUENCE_START_EVENT: pointer = event.data.sequence_start.anchor
        case YAML_MAPPING_START_EVENT: pointer = event.data.mapping_start.anchor
        default: pointer = nil
        }
        return pointer.map { String(cString: $0) }
    }

    /// The current scalar, typed: quoted or `!!str`/`!`-tagged scalars are strings; plain ones are
    /// typed by `PlainScalar` (YAML 1.1 core rules). An application tag (`!function utils.f`, as
    /// lm-evaluation-harness task files use for Python code) is an error, never read as plain text.
    func scalarValue() throws -> JSONValue {
        let scalar = event.data.scalar
        let text = scalarText()
        if let tag = scalar.tag {
            let name = String(cString: tag)
            if name != "!" && !name.hasPrefix("tag:yaml.org,2002:") {
                throw ManifestError.yamlSyntax(location, problem: "the tag '\(name)' is not supported (custom tags such as !function name Python code, which Trellis does not run)")
            }
            if name == "!" || name == "tag:yaml.org,2002:str" { return .string(text) }
        }
        if scalar.style != YAML_PLAIN_SCALAR_STYLE && scalar.style != YAML_ANY_SCALAR_STYLE { return .string(text) }
        return PlainScalar.value(of: text)
    }

    /// The current scalar's text as written (after YAML unescaping).
    func scalarText() -> String {
        String(decoding: UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length), as: UTF8.self)
    }

    private func syntaxError() -> ManifestError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        switch parser.error {
        case YAML_READER_ERROR:
            return .yamlSyntax(location(ofOffset: Int(parser.problem_offset)), problem: problem)
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
            let mark = parser.problem_mark
            let detail = parser.context.map { "\(problem) (\(String(cString: $0)))" } ?? problem
            return .yamlSyntax(SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1), problem: detail)
        default:
            return .yamlSyntax(SourceLocation(file: file, line: 1, column: 1), problem: problem)
        }
    }

    /// Line and column (in characters) of a byte offset, for reader errors such as invalid UTF-8.
    private func location(ofOffset offset: Int) -> SourceLocation {
        var line = 1, column = 1
        for byte in bytes.prefix(min(offset, bytes.count)) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
