import CanonicalJSON

/// Everything that can be wrong with a manifest. Each case carries where it happened;
/// the CLI renders `message` and `hint` (and nothing else turns these into text).
public enum ManifestError: Error, Equatable {
    case unreadable(file: String, reason: String)
    case tooLarge(file: String, bytes: Int, limit: Int)
    case yamlSyntax(SourceLocation, problem: String)
    case tooManyNodes(SourceLocation, limit: Int)
    case nestingTooDeep(SourceLocation, limit: Int)
    case unsupportedVersion(SourceLocation, found: String)
    case unknownKey(SourceLocation, key: String, context: String, suggestion: String?)
    case wrongType(SourceLocation, field: String, expected: String, found: String)
    case missingField(SourceLocation, field: String, context: String)
    case conflictingFields(SourceLocation, stage: String, fields: String)
    case invalidValue(SourceLocation, field: String, reason: String)
    case unknownKind(SourceLocation, kind: String, suggestion: String?)
    case undefinedReference(SourceLocation, reference: String, suggestion: String?)
    case duplicateKey(SourceLocation, key: String)
    case duplicateStage(SourceLocation, name: String, first: SourceLocation)
    case duplicateOutput(SourceLocation, path: String, stages: [String])
    case cycle(SourceLocation, stages: [String])
    case extendsCycle(SourceLocation, chain: [String])
    /// `instances` is `Int.max` when the count does not even fit in an `Int`.
    case expansionTooLarge(SourceLocation, stage: String, instances: Int, limit: Int)
    case emptyMatrixAxis(SourceLocation, axis: String)
    case valueTooLarge(SourceLocation, field: String, value: String, limit: String)
    /// One interpolated string (`perString`) or all of them together grew past `limit` bytes.
    case interpolationTooLarge(SourceLocation, instance: String, limit: Int, perString: Bool)
    case invalidPublishPath(SourceLocation, path: String, reason: String)

    /// Where the problem is, as `file:line:col` (or just the file).
    public var location: String {
        switch self {
        case .unreadable(let file, _), .tooLarge(let file, _, _): return file
        case .yamlSyntax(let l, _), .tooManyNodes(let l, _), .nestingTooDeep(let l, _), .unsupportedVersion(let l, _), .unknownKey(let l, _, _, _),
             .wrongType(let l, _, _, _), .missingField(let l, _, _), .conflictingFields(let l, _, _),
             .invalidValue(let l, _, _), .unknownKind(let l, _, _), .undefinedReference(let l, _, _),
             .duplicateKey(let l, _), .duplicateStage(let l, _, _), .duplicateOutput(let l, _, _),
             .cycle(let l, _), .extendsCycle(let l, _), .expansionTooLarge(let l, _, _, _), .emptyMatrixAxis(let l, _),
             .valueTooLarge(let l, _, _, _), .interpolationTooLarge(let l, _, _, _), .invalidPublishPath(let l, _, _):
            return l.description
        }
    }

    public var message: String {
        switch self {
        case .unreadable(_, let reason): return "cannot read manifest: \(reason)"
        case .tooLarge(_, let bytes, let limit): return "manifest is \(bytes) bytes; the limit is \(limit)"
        case .yamlSyntax(_, let problem): return "YAML syntax error: \(problem)"
        case .tooManyNodes(_, let limit): return "manifest expands to more than \(limit) YAML nodes (an alias bomb?)"
        case .nestingTooDeep(_, let limit): return "YAML nesting deeper than \(limit) levels"
        case .unsupportedVersion(_, let found): return "unsupported manifest format version \(found)"
        case .unknownKey(_, let key, let context, _): return "unknown key '\(key)' in \(context)"
        case .wrongType(_, let field, let expected, let found): return "'\(field)' must be \(expected), found \(found)"
        case .missingField(_, let field, let context): return "\(context) needs '\(field)'"
        case .conflictingFields(_, let stage, let fields): return "stage '\(stage)' sets \(fields); a stage is either a shell command or a builtin kind"
        case .invalidValue(_, let field, let reason): return "invalid '\(field)': \(reason)"
        case .unknownKind(_, let kind, _): return "unknown stage kind '\(kind)'"
        case .undefinedReference(_, let reference, _): return "undefined reference '\(reference)'"
        case .duplicateKey(_, let key): return "duplicate key '\(key)'"
        case .duplicateStage(_, let name, let first): return "duplicate stage '\(name)' (first defined at \(first))"
        case .duplicateOutput(_, let path, let stages): return "stages \(stages.joined(separator: " and ")) both publish '\(path)'"
        case .cycle(_, let stages): return "dependency cycle: \(stages.joined(separator: " -> "))"
        case .extendsCycle(_, let chain): return "'extends' cycle: \(chain.joined(separator: " -> "))"
        case .expansionTooLarge(_, let stage, let instances, let limit):
            let count = instances == Int.max ? "more than \(Int.max)" : "\(instances)"
            return "stage '\(stage)' expands to \(count) instances; the limit is \(limit)"
        case .emptyMatrixAxis(_, let axis): return "matrix axis '\(axis)' is empty; an axis needs at least one value"
        case .valueTooLarge(_, let field, let value, let limit): return "'\(field)' is \(value); the largest allowed is \(limit)"
        case .interpolationTooLarge(_, let instance, let limit, let perString):
            return perString
                ? "a string of '\(instance)' grows past \(limit) bytes once ${...} references are substituted"
                : "substituting ${...} references produces more than \(limit) bytes of text in all (limit reached at '\(instance)')"
        case .invalidPublishPath(_, let path, let reason): return "invalid 'publish' path '\(path)': \(reason)"
        }
    }

    public var hint: String? {
        switch self {
        case .unknownKey(_, _, _, let s?), .unknownKind(_, _, let s?), .undefinedReference(_, _, let s?):
            return "did you mean '\(s)'?"
        case .unknownKind: return "builtin kinds are listed by `trellis kinds`; a shell stage uses 'run'"
        case .unsupportedVersion: return "this Trellis reads 'trellis: 1' manifests"
        case .cycle: return "remove one of the 'needs' (or ${STAGE.out} references) on the cycle"
        case .duplicateStage, .duplicateKey: return "rename one of them"
        case .tooManyNodes, .expansionTooLarge: return "split the manifest or shrink the matrix"
        case .nestingTooDeep: return "flatten the structure; manifests rarely need more than a few levels"
        case .emptyMatrixAxis(_, let axis): return "list the values, e.g. '\(axis): [1, 2]', or remove the axis"
        case .valueTooLarge: return "resource requests are bounded so that schedulers can add them up; ask for less"
        case .interpolationTooLarge:
            return "put large values in a file and interpolate its path (e.g. ${params.list_file}), or shrink the matrix"
        case .invalidPublishPath: return "publish paths are relative to the manifest's folder and stay inside it, e.g. 'results/best'"
        case .undefinedReference: return "references look like ${params.NAME}, ${matrix.AXIS}, ${out} or ${STAGE.out}"
        default: return nil
        }
    }
}
