import ContentStore
import Foundation
import GRDB

extension RunDatabase {
    /// Loads the persisted stat cache (path + signature → digest) in one query.
    public func loadDigestCache() throws -> DigestCache {
        try pool.read { db in
            var entries: [String: (FileSignature, Digest)] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM stat_cache")
            while let row = try cursor.next() {
                guard let digest = Digest(hex: row["digest"]) else { continue }
                let signature = FileSignature(device: UInt64(bitPattern: row["device"]), inode: UInt64(bitPattern: row["inode"]),
                                              size: row["size"], mtimeNs: row["mtime_ns"], ctimeNs: row["ctime_ns"])
                entries[row["path"]] = (signature, digest)
            }
            return DigestCache(entries: entries)
        }
    }

    /// Persists the entries the cache learned since it was loaded.
    public func saveDigestCache(_ cache: DigestCache) throws {
        let entries = cache.takeNewEntries()
        guard !entries.isEmpty else { return }
        try pool.write { db in
            for (path, s, digest) in entries {
                try db.execute(sql: "INSERT OR REPLACE INTO stat_cache VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [path, Int64(bitPattern: s.device), Int64(bitPattern: s.inode), s.size, s.mtimeNs, s.ctimeNs, digest.hex])
            }
        }
    }
}
