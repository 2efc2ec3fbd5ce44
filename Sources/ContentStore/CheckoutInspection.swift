import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What differs between a checkout (`outputs/<tree>`) and its tree: how a stage that wrote to an
/// upstream's output, or a hand edit of the store, is found.
public struct CheckoutDamage: Sendable, CustomStringConvertible {
    /// Files whose content no longer matches the listing (relative paths).
    public var changed: [String] = []
    /// Entries of the listing that are gone, or of another kind now.
    public var missing: [String] = []
    /// Paths in the checkout that the listing does not have.
    public var added: [String] = []
    /// Blobs whose own content no longer matches their digest (the CAS copy itself was written to).
    public var corruptBlobs: [Digest] = []

    public var isEmpty: Bool { changed.isEmpty && missing.isEmpty && added.isEmpty && corruptBlobs.isEmpty }

    public var description: String {
        var parts: [String] = []
        func list(_ names: [String]) -> String { names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "") }
        if !changed.isEmpty { parts.append("changed: \(list(changed))") }
        if !missing.isEmpty { parts.append("removed: \(list(missing))") }
        if !added.isEmpty { parts.append("added: \(list(added))") }
        return parts.joined(separator: "; ")
    }
}

extension TreeStore {
    /// Compares the checkout of `digest` with `tree`: the same paths of the same kinds, and every
    /// file's content equal to its digest. Costs one `lstat` per entry while nothing moved; a file
    /// whose signature moved is rehashed, and so is its blob.
    public func inspectCheckout(_ digest: Digest, tree: OutputTree) -> CheckoutDamage {
        let root = layout.outputPath(digest)
        var damage = CheckoutDamage()
        var expected: [String: OutputTree.Entry] = [:]
        for entry in tree.entries { expected[entry.path] = entry }
        var seen: Set<String> = []
        do {
            try DirectoryWalker.walk(root) { relative, absolute, st in
                let kind = st.st_mode & S_IFMT
                guard let entry = expected[relative] else {
                    // A folder that only holds listed entries is implied by them.
                    if kind == S_IFDIR, expected.keys.contains(where: { $0.hasPrefix(relative + "/") }) { return }
                    damage.added.append(relative)
                    return
                }
                seen.insert(relative)
                switch entry.kind {
                case .file:
                    guard kind == S_IFREG else { damage.missing.append(relative); return }
                    if contentDigest(of: absolute) != entry.digest { damage.changed.append(relative) }
                case .symlink:
                    let target = try? FileManager.default.destinationOfSymbolicLink(atPath: absolute)
                    if kind != S_IFLNK || target != entry.linkTarget { damage.changed.append(relative) }
                case .directory:
                    if kind != S_IFDIR { damage.missing.append(relative) }
                }
            }
        } catch {
            damage.missing.append(".")
        }
        for entry in tree.entries where !seen.contains(entry.path) { damage.missing.append(entry.path) }
        // Hard links share the blob's inode: a changed checkout file usually means a changed blob.
        var checked: Set<Digest> = []
        for entry in tree.entries where entry.kind == .file {
            guard let d = entry.digest, !checked.contains(d), damage.changed.contains(entry.path) || damage.missing.contains(entry.path) else { continue }
            checked.insert(d)
            if access(layout.blobPath(d), F_OK) == 0, contentDigest(of: layout.blobPath(d)) != d { damage.corruptBlobs.append(d) }
        }
        return damage
    }

    /// Removes a damaged checkout (it is rebuilt from the blobs on next use) and quarantines the
    /// blobs that no longer match. Throws `corruptObject` when a blob was lost, so the caller drops
    /// the action-cache entries that need it.
    public func repair(_ digest: Digest, damage: CheckoutDamage) throws {
        removeCheckout(digest)
        for blob in damage.corruptBlobs { quarantine(blob: blob) }
        if let first = damage.corruptBlobs.first {
            throw StoreError.corruptObject(digest: first.hex, path: layout.blobPath(first),
                                           reason: "content does not match its digest (\(damage)); moved to \(layout.quarantine)")
        }
    }

    /// Deletes a checkout folder, restoring write permission first where a stage removed it.
    public func removeCheckout(_ digest: Digest) {
        let root = layout.outputPath(digest)
        guard access(root, F_OK) == 0 else { return }
        let aside = "\(layout.outputs)/.removed-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let victim = rename(root, aside) == 0 ? aside : root
        try? DirectoryWalker.walk(victim) { _, absolute, st in
            if st.st_mode & S_IFMT == S_IFDIR { chmod(absolute, 0o755) }
        }
        try? FileManager.default.removeItem(atPath: victim)
    }

    /// Moves a blob that failed its check into `corrupt/`, where it is never served again.
    public func quarantine(blob digest: Digest) {
        layout.quarantine(layout.blobPath(digest), name: digest.hex)
    }
}
