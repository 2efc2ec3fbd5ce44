import GRDB

/// A run database this version of Trellis cannot use, or one SQLite could not read or write.
public enum RunDatabaseError: Error, CustomStringConvertible, Equatable {
    /// The `meta` table names another schema version (a newer Trellis wrote it, or it is not ours).
    case unsupportedSchema(path: String, found: String)
    /// The disk holding the database is full (SQLITE_FULL).
    case diskFull(path: String)
    /// The file is damaged or not a database (SQLITE_CORRUPT, SQLITE_NOTADB).
    case damaged(path: String, detail: String)
    /// Reading or writing the file failed (SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY …).
    case io(path: String, detail: String)

    /// Classifies SQLite's answer for `path`.
    public init(_ error: DatabaseError, path: String) {
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_FULL: self = .diskFull(path: path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .damaged(path: path, detail: detail)
        default: self = .io(path: path, detail: "\(detail) (SQLite code \(error.extendedResultCode.rawValue))")
        }
    }

    /// An error from GRDB as a located database error; nil for anything else.
    public static func classify(_ error: Error) -> RunDatabaseError? {
        if let e = error as? RunDatabaseError { return e }
        guard let e = error as? DatabaseError else { return nil }
        return RunDatabaseError(e, path: RunDatabase.lastOpenedPath ?? "the run database")
    }

    public var description: String {
        switch self {
        case .unsupportedSchema(let path, let found):
            return "\(path): run database schema '\(found)', this trellis reads schema \(RunDatabase.schemaVersion)"
        case .diskFull(let path):
            return "\(path): the disk is full; the run database cannot record anything more"
        case .damaged(let path, let detail):
            return "\(path): the run database is damaged (\(detail))"
        case .io(let path, let detail):
            return "\(path): the run database cannot be read or written: \(detail)"
        }
    }

    public var hint: String {
        switch self {
        case .unsupportedSchema:
            return "use the trellis that made this store, or move the file away (the artifacts stay; run history starts anew)"
        case .diskFull:
            return "free space (`trellis gc --apply` removes outputs no manifest needs), then run again; what is stored stays intact"
        case .damaged(let path, _):
            return "`trellis verify` runs SQLite's integrity check; to recover, move \(path) (and its -wal/-shm files) aside: stored outputs stay, stages rerun once and history starts anew (`sqlite3 FILE .recover` may save the old history)"
        case .io:
            return "check the file's permissions and the disk (dmesg), then `trellis verify`"
        }
    }
}
