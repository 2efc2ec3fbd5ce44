import CanonicalJSON
import ContentStore
import Foundation
import GRDB

/// The run database (`artifacts/trellis.db`, SQLite in WAL mode): runs, stage executions with
/// their key components, metrics, lineage, the action cache (stage key → output tree) and the
/// stat cache. Several `trellis` processes may use it at once.
public final class RunDatabase: @unchecked Sendable {
    public static let schemaVersion = 2
    let pool: DatabasePool
    /// Stage executions' starts and endings, committed in groups (see `GroupCommit`).
    let executionWrites: GroupCommit

    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.label = "trellis"
        // WAL with synchronous=NORMAL: a crash never corrupts the database; a power cut may lose
        // the last commits, which only means those stages run again.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            pool = try Self.open(path: path, configuration: config)
            try Self.createSchemaIfNeeded(pool, path: path)
        } catch let error as DatabaseError {
            throw RunDatabaseError(error, path: path)
        }
        executionWrites = GroupCommit(pool: pool)
        Self.lastOpenedPath = path
    }

    /// Opens the pool, retrying for up to 30 s while SQLite answers SQLITE_BUSY: turning a new file
    /// into WAL mode needs a moment alone with it, and SQLite refuses a second process doing the
    /// same at once (`PRAGMA journal_mode = WAL` does not wait through the busy timeout).
    static func open(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(30)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(10_000)
            }
        }
    }

    /// Creates the tables of a new database, or checks the schema of an existing one. Two `trellis`
    /// processes may open a new store at the same moment: the check and the creation are one
    /// IMMEDIATE transaction (SQLite's write lock, waited for with the busy timeout), so the second
    /// process finds the tables the first made. (GRDB's migrator read its bookkeeping outside that
    /// lock; the loser of the race failed with "table runs already exists".)
    static func createSchemaIfNeeded(_ pool: DatabasePool, path: String) throws {
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                if try db.tableExists("meta") {
                    var schema = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'schema'")
                    if schema == "1" {
                        // 1 → 2: executions record the numeric path that produced them.
                        try db.execute(sql: "ALTER TABLE executions ADD COLUMN numeric_path TEXT; UPDATE meta SET value = '2' WHERE name = 'schema'")
                        schema = "2"
                    }
                    guard schema == String(schemaVersion) else {
                        throw RunDatabaseError.unsupportedSchema(path: path, found: schema ?? "none")
                    }
                } else {
                    try db.execute(sql: schema)
                }
                return .commit
            }
        }
    }

    /// The tables at `schemaVersion` (2: version 1 plus `executions.numeric_path`).
    static let schema = """
        CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, experiment TEXT NOT NULL, manifest TEXT NOT NULL,
            started REAL NOT NULL, ended REAL, status TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, arguments TEXT NOT NULL);
        CREATE TABLE executions (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),
            experiment TEXT NOT NULL, stage TEXT NOT NULL, stage_key TEXT NOT NULL, components TEXT NOT NULL,
            status TEXT NOT NULL, started REAL NOT NULL, ended REAL, exit_code INTEGER, cpu_seconds REAL,
            peak_memory_bytes INTEGER, host TEXT NOT NULL, tree TEXT, log TEXT, error TEXT, numeric_path TEXT);
        CREATE INDEX executions_by_stage ON executions(experiment, stage, id);
        CREATE INDEX executions_by_key ON executions(stage_key);
        CREATE TABLE actions (stage_key TEXT PRIMARY KEY, tree TEXT NOT NULL, execution_id INTEGER NOT NULL, created REAL NOT NULL);
        CREATE TABLE metrics (execution_id INTEGER NOT NULL REFERENCES executions(id), name TEXT NOT NULL, value REAL NOT NULL);
        CREATE INDEX metrics_by_execution ON metrics(execution_id);
        CREATE TABLE lineage (execution_id INTEGER NOT NULL REFERENCES executions(id), upstream_stage TEXT NOT NULL,
            upstream_key TEXT NOT NULL, upstream_tree TEXT NOT NULL);
        CREATE TABLE stat_cache (path TEXT PRIMARY KEY, device INTEGER NOT NULL, inode INTEGER NOT NULL, size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, digest TEXT NOT NULL);
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('format', 'trellis-run-database'), ('schema', '\(schemaVersion)');
        """

    public static var hostName: String { ProcessInfo.processInfo.hostName }

    /// The file behind SQLite errors thrown later by this process (one store per process).
    nonisolated(unsafe) public static var lastOpenedPath: String?

    /// `PRAGMA integrity_check`: empty when the file is sound, else SQLite's findings.
    public func integrityProblems() throws -> [String] {
        let rows = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return rows == ["ok"] ? [] : rows
    }

    // MARK: - Runs

    public func beginRun(experiment: String, manifest: String, arguments: [String]) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO runs (experiment, manifest, started, status, host, pid, arguments) VALUES (?, ?, ?, 'running', ?, ?, ?)",
                           arguments: [experiment, manifest, Date().timeIntervalSince1970, Self.hostName, Int(getpid()), arguments.joined(separator: " ")])
            return db.lastInsertedRowID
        }
    }

    public func endRun(_ id: Int64, status: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE runs SET ended = ?, status = ? WHERE id = ?", arguments: [Date().timeIntervalSince1970, status, id])
            // An execution whose ending could not be recorded does not stay 'running'.
            try db.execute(sql: "UPDATE executions SET status = 'failed', ended = ?, error = COALESCE(error, 'ended without a recorded result') WHERE run_id = ? AND status = 'running'",
                           arguments: [Date().timeIntervalSince1970, id])
        }
    }

    /// Runs left 'running' by a process on this host that no longer exists (killed, crashed)
    /// become 'interrupted', and so do their running executions.
    public func closeAbandonedRuns() throws {
        try pool.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, pid FROM runs WHERE status = 'running' AND host = ?", arguments: [Self.hostName])
            for row in rows {
                let pid: Int32 = row["pid"]
                if kill(pid, 0) == 0 || errno == EPERM { continue }
                let id: Int64 = row["id"]
                try db.execute(sql: "UPDATE runs SET status = 'interrupted' WHERE id = ?", arguments: [id])
                try db.execute(sql: "UPDATE executions SET status = 'interrupted' WHERE run_id = ? AND status = 'running'", arguments: [id])
            }
        }
    }

    public func runs(limit: Int = 50) throws -> [RunRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.run(from:))
        }
    }

    public func activeRunIDs() throws -> [Int64] {
        try pool.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM runs WHERE status = 'running'") }
    }

    static func run(from row: Row) -> RunRecord {
        RunRecord(id: row["id"], experiment: row["experiment"], manifest: row["manifest"],
                  started: Date(timeIntervalSince1970: row["started"]), ended: (row["ended"] as Double?).map(Date.init(timeIntervalSince1970:)),
                  status: row["status"], host: row["host"], pid: row["pid"], arguments: row["arguments"])
    }
}
