import CanonicalJSON
import ContentStore
import Foundation
import GRDB

extension RunDatabase {
    public func startExecution(run: Int64, experiment: String, stage: String, key: String, components: JSONValue) throws -> Int64 {
        try executionWrites.write { db in
            try db.execute(sql: """
                INSERT INTO executions (run_id, experiment, stage, stage_key, components, status, started, host)
                VALUES (?, ?, ?, ?, ?, 'running', ?, ?)
                """, arguments: [run, experiment, stage, key, components.canonicalString, Date().timeIntervalSince1970, Self.hostName])
            return db.lastInsertedRowID
        }
    }

    /// Ends an execution. On success the action-cache entry, metrics and lineage are written in
    /// the same transaction, so a crash leaves either all of them or none. Endings of stages that
    /// end together share one transaction (group commit); this returns once it has committed.
    public func finishExecution(_ id: Int64, key: String, outcome: ExecutionOutcome) throws {
        try executionWrites.write { db in
            try db.execute(sql: """
                UPDATE executions SET status = ?, ended = ?, exit_code = ?, cpu_seconds = ?, peak_memory_bytes = ?, tree = ?, log = ?, error = ?,
                    numeric_path = ?
                WHERE id = ?
                """, arguments: [outcome.status.rawValue, Date().timeIntervalSince1970, outcome.exitCode.map { Int($0) }, outcome.cpuSeconds,
                                 outcome.peakMemoryBytes, outcome.tree?.hex, outcome.log?.hex, outcome.error, outcome.numericPath, id])
            for (name, value) in outcome.metrics.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT INTO metrics (execution_id, name, value) VALUES (?, ?, ?)", arguments: [id, name, value])
            }
            for (stage, upstream) in outcome.lineage.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT INTO lineage (execution_id, upstream_stage, upstream_key, upstream_tree) VALUES (?, ?, ?, ?)",
                               arguments: [id, stage, upstream.key, upstream.tree.hex])
            }
            if outcome.status == .succeeded, let tree = outcome.tree {
                try db.execute(sql: "INSERT OR REPLACE INTO actions (stage_key, tree, execution_id, created) VALUES (?, ?, ?, ?)",
                               arguments: [key, tree.hex, id, Date().timeIntervalSince1970])
            }
        }
    }

    /// A cache hit: recorded as an execution that reused `tree`.
    public func recordCacheHit(run: Int64, experiment: String, stage: String, key: String, components: JSONValue, tree: Digest) throws {
        try executionWrites.write { db in
            let now = Date().timeIntervalSince1970
            try db.execute(sql: """
                INSERT INTO executions (run_id, experiment, stage, stage_key, components, status, started, ended, host, tree)
                VALUES (?, ?, ?, ?, ?, 'cached', ?, ?, ?, ?)
                """, arguments: [run, experiment, stage, key, components.canonicalString, now, now, Self.hostName, tree.hex])
        }
    }

    // MARK: - Action cache

    /// The whole action cache (stage key → output tree), for planning thousands of stages at once.
    public func actionCache() throws -> [String: Digest] {
        try pool.read { db in
            var result: [String: Digest] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT stage_key, tree FROM actions")
            while let row = try cursor.next() {
                if let d = Digest(hex: row["tree"]) { result[row["stage_key"]] = d }
            }
            return result
        }
    }

    /// The output tree stored for one stage key, if any.
    public func action(key: String) throws -> Digest? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT tree FROM actions WHERE stage_key = ?", arguments: [key]).flatMap(Digest.init(hex:))
        }
    }

    /// Forgets an action whose output turned out to be corrupt or missing: the next run rebuilds it.
    public func forgetAction(key: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM actions WHERE stage_key = ?", arguments: [key]) }
    }

    /// Forgets every action whose output is `tree` (its listing or a blob it needs was lost).
    public func forgetActions(tree: Digest) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM actions WHERE tree = ?", arguments: [tree.hex]) }
    }

    // MARK: - Queries

    /// Per stage: the newest execution's key and status, and the key components of the newest
    /// success: the lean query behind every `status` (no other columns are read or parsed).
    public func stageHistory(experiment: String) throws -> [String: (latestKey: String, latestStatus: ExecutionRecord.Status, successComponents: String?)] {
        try pool.read { db in
            var result: [String: (latestKey: String, latestStatus: ExecutionRecord.Status, successComponents: String?)] = [:]
            let latest = try Row.fetchCursor(db, sql: """
                SELECT stage, stage_key, status FROM executions WHERE id IN (SELECT MAX(id) FROM executions WHERE experiment = ? GROUP BY stage)
                """, arguments: [experiment])
            while let row = try latest.next() {
                result[row[0]] = (row[1], ExecutionRecord.Status(rawValue: row[2]) ?? .failed, nil)
            }
            let success = try Row.fetchCursor(db, sql: """
                SELECT stage, components FROM executions WHERE id IN
                  (SELECT MAX(id) FROM executions WHERE experiment = ? AND status IN ('succeeded', 'cached') GROUP BY stage)
                """, arguments: [experiment])
            while let row = try success.next() {
                let stage: String = row[0]
                result[stage]?.successComponents = row[1]
            }
            return result
        }
    }

    public func executions(experiment: String, stage: String, limit: Int = 20) throws -> [ExecutionRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM executions WHERE experiment = ? AND stage = ? ORDER BY id DESC LIMIT ?",
                             arguments: [experiment, stage, limit]).map(Self.execution(from:))
        }
    }

    public func executions(run: Int64) throws -> [ExecutionRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM executions WHERE run_id = ? ORDER BY id", arguments: [run]).map(Self.execution(from:))
        }
    }

    /// The most recent successful execution that produced this key (for metrics and logs of cache hits).
    public func producer(ofKey key: String) throws -> ExecutionRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM executions WHERE stage_key = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1",
                             arguments: [key]).map(Self.execution(from:))
        }
    }

    public func metrics(execution: Int64) throws -> [String: Double] {
        try pool.read { db in
            var result: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM metrics WHERE execution_id = ?", arguments: [execution]) {
                result[row["name"]] = row["value"]
            }
            return result
        }
    }

    public func lineage(execution: Int64) throws -> [(stage: String, key: String, tree: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT upstream_stage, upstream_key, upstream_tree FROM lineage WHERE execution_id = ? ORDER BY upstream_stage",
                             arguments: [execution]).map { ($0["upstream_stage"], $0["upstream_key"], $0["upstream_tree"]) }
        }
    }

    /// What gc keeps: the action entries of the current manifests' keys (`headKeys`) and of executions
    /// newer than `since`, their trees and logs. Returns the other action keys as dead.
    public func liveObjects(headKeys: Set<String>, since: Date) throws -> (trees: Set<Digest>, blobs: Set<Digest>, deadKeys: [String]) {
        try pool.read { db in
            var trees: Set<Digest> = [], blobs: Set<Digest> = [], dead: [String] = []
            let cutoff = since.timeIntervalSince1970
            for row in try Row.fetchAll(db, sql: """
                SELECT a.stage_key, a.tree, e.started, e.log FROM actions a LEFT JOIN executions e ON e.id = a.execution_id
                """) {
                let key: String = row["stage_key"]
                let started: Double = row["started"] ?? 0
                if headKeys.contains(key) || started >= cutoff {
                    if let t = Digest(hex: row["tree"]) { trees.insert(t) }
                    if let l = (row["log"] as String?).flatMap(Digest.init(hex:)) { blobs.insert(l) }
                } else {
                    dead.append(key)
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT tree, log FROM executions WHERE started >= ?", arguments: [cutoff]) {
                if let t = (row["tree"] as String?).flatMap(Digest.init(hex:)) { trees.insert(t) }
                if let l = (row["log"] as String?).flatMap(Digest.init(hex:)) { blobs.insert(l) }
            }
            return (trees, blobs, dead)
        }
    }

    public func forgetActions(keys: [String]) throws {
        try pool.write { db in
            for key in keys { try db.execute(sql: "DELETE FROM actions WHERE stage_key = ?", arguments: [key]) }
        }
    }

    static func execution(from row: Row) -> ExecutionRecord {
        return ExecutionRecord(
            id: row["id"], runID: row["run_id"], experiment: row["experiment"], stage: row["stage"], key: row["stage_key"],
            componentsText: row["components"], status: ExecutionRecord.Status(rawValue: row["status"]) ?? .failed,
            started: Date(timeIntervalSince1970: row["started"]), ended: (row["ended"] as Double?).map(Date.init(timeIntervalSince1970:)),
            exitCode: (row["exit_code"] as Int?).map { Int32($0) }, cpuSeconds: row["cpu_seconds"], peakMemoryBytes: row["peak_memory_bytes"],
            host: row["host"], tree: (row["tree"] as String?).flatMap(Digest.init(hex:)), log: (row["log"] as String?).flatMap(Digest.init(hex:)),
            error: row["error"], numericPath: row["numeric_path"])
    }
}

/// An execution recorded as running in a run that is still going (its process is alive, as far
/// as this host can tell).
public struct RunningExecution: Sendable, Equatable {
    public var id: Int64
    public var runID: Int64
    public var stage: String
    public var started: Date
}

extension RunDatabase {
    /// The executions of `experiment` running now: their run is marked running and, when it runs on
    /// this host, its process exists (a run killed with SIGKILL stays marked until the next run).
    /// Costs one query of the (small) runs table when nothing runs, which is what a no-op `status`
    /// meets; the executions are scanned only while a run is going.
    public func runningExecutions(experiment: String) throws -> [RunningExecution] {
        try pool.read { db in
            let live = try Row.fetchAll(db, sql: "SELECT id, host, pid FROM runs WHERE status = 'running' AND experiment = ?", arguments: [experiment])
                .filter { row in
                    let host: String = row["host"], pid: Int32 = row["pid"]
                    return !(host == Self.hostName && kill(pid, 0) != 0 && errno == ESRCH)
                }
                .map { (row: Row) -> Int64 in row["id"] }
            guard !live.isEmpty else { return [] }
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, run_id, stage, started FROM executions
                WHERE experiment = ? AND status = 'running' AND run_id IN (\(live.map(String.init).joined(separator: ", "))) ORDER BY id
                """, arguments: [experiment])
            return rows.map { RunningExecution(id: $0["id"], runID: $0["run_id"], stage: $0["stage"], started: Date(timeIntervalSince1970: $0["started"])) }
        }
    }
}
