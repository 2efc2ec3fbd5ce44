/// A run database this version of Trellis cannot use.
public enum RunDatabaseError: Error, CustomStringConvertible, Equatable {
    /// The `meta` table names another schema version (a newer Trellis wrote it, or it is not ours).
    case unsupportedSchema(path: String, found: String)

    public var description: String {
        switch self {
        case .unsupportedSchema(let path, let found):
            return "\(path): run database schema '\(found)', this trellis reads schema \(RunDatabase.schemaVersion)"
        }
    }

    public var hint: String {
        switch self {
        case .unsupportedSchema:
            return "use the trellis that made this store, or move the file away (the artifacts stay; run history starts anew)"
        }
    }
}
