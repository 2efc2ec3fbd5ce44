import Foundation
import Testing
@testable import ContentStore

/// The store's promises against stages and hands that write where they must not (issue #14).
@Suite struct StoreIntegrityTests {
    let root = scratchDirectory()
    var layout: StoreLayout { StoreLayout(root: root + "/artifacts") }

    func makeOutput(_ files: [String: String]) -> String {
        let dir = root + "/out-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (path, text) in files {
            try! FileManager.default.createDirectory(atPath: ((dir + "/" + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try! text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    func overwrite(_ path: String, _ text: String) throws {
        chmod(path, 0o644)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.write(Data(text.utf8))
        try handle.close()
    }

    @Test func aReusedCheckoutWhoseBlobWasEditedInPlaceIsNotServed() throws {
        try layout.create()
        let trees = TreeStore(layout: layout, cache: DigestCache())
        let (_, digest) = try trees.ingest(directory: makeOutput(["n.txt": "100\n"]))
        let checkout = try trees.materialize(digest)
        // Same size, same inode: only the content differs (the checkout is a hard link to the blob).
        try overwrite(checkout + "/n.txt", "999\n")
        #expect(throws: StoreError.self) { try trees.materialize(digest) }
        #expect(!FileManager.default.fileExists(atPath: layout.blobPath(Digest.of(string: "100\n"))))
        #expect(FileManager.default.fileExists(atPath: layout.quarantine + "/" + Digest.of(string: "100\n").hex))
        #expect(!FileManager.default.fileExists(atPath: checkout))
    }

    @Test func aCheckoutWithFilesAddedOrRemovedIsRebuiltFromIntactBlobs() throws {
        try layout.create()
        let trees = TreeStore(layout: layout, cache: DigestCache())
        let (tree, digest) = try trees.ingest(directory: makeOutput(["a.txt": "a", "sub/b.txt": "b"]))
        let checkout = try trees.materialize(digest)
        #expect(trees.inspectCheckout(digest, tree: tree).isEmpty)
        unlink(checkout + "/sub/b.txt")
        try "x".write(toFile: checkout + "/extra.txt", atomically: false, encoding: .utf8)
        let damage = trees.inspectCheckout(digest, tree: tree)
        #expect(damage.missing == ["sub/b.txt"] && damage.added == ["extra.txt"] && damage.corruptBlobs.isEmpty)
        #expect(try trees.materialize(digest) == checkout)
        #expect(trees.inspectCheckout(digest, tree: tree).isEmpty)
        #expect(try String(contentsOfFile: checkout + "/sub/b.txt", encoding: .utf8) == "b")
    }

    @Test func aDamagedListingIsRewrittenWhenTheSameTreeIsIngestedAgain() throws {
        try layout.create()
        let trees = TreeStore(layout: layout)
        let (_, digest) = try trees.ingest(directory: makeOutput(["a.txt": "a"]))
        try overwrite(layout.treePath(digest), "{}")
        #expect(throws: StoreError.self) { try trees.load(digest) }
        _ = try trees.ingest(directory: makeOutput(["a.txt": "a"]))
        #expect(try trees.load(digest).entries.map(\.path) == ["a.txt"])
    }

    @Test func symlinksInsideTheOutputAreKeptRelativeAndThoseLeavingItAreRefused() throws {
        try layout.create()
        let trees = TreeStore(layout: layout)
        let out = makeOutput(["data/x.txt": "x"])
        try FileManager.default.createSymbolicLink(atPath: out + "/rel", withDestinationPath: "data/x.txt")
        try FileManager.default.createSymbolicLink(atPath: out + "/data/abs", withDestinationPath: out + "/data/x.txt")
        let (tree, digest) = try trees.ingest(directory: out)
        #expect(tree.entries.first { $0.path == "rel" }?.linkTarget == "data/x.txt")
        #expect(tree.entries.first { $0.path == "data/abs" }?.linkTarget == "x.txt")
        let checkout = try trees.materialize(digest)
        #expect(try String(contentsOfFile: checkout + "/data/abs", encoding: .utf8) == "x")
        for target in ["/etc/passwd", "../../x", "data/../../y", root + "/elsewhere"] {
            let bad = makeOutput(["f": "f"])
            try FileManager.default.createSymbolicLink(atPath: bad + "/link", withDestinationPath: target)
            #expect(throws: StoreError.self, "link to \(target)") { try trees.ingest(directory: bad) }
        }
    }

    @Test func aFileHardLinkedFromOutsideIsCopiedNotAdopted() throws {
        try layout.create()
        let trees = TreeStore(layout: layout)
        let mine = root + "/mine.txt"
        try "my notes".write(toFile: mine, atomically: false, encoding: .utf8)
        chmod(mine, 0o640)
        let out = makeOutput([:])
        #expect(link(mine, out + "/notes.txt") == 0)
        let (_, digest) = try trees.ingest(directory: out)
        let mode = try FileManager.default.attributesOfItem(atPath: mine)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        try "changed".write(toFile: mine, atomically: false, encoding: .utf8)
        #expect(try String(contentsOfFile: try trees.materialize(digest) + "/notes.txt", encoding: .utf8) == "my notes")
    }

    @Test func aDependencyChangedAndChangedBackDuringTheRunCountsAsChanged() throws {
        let file = root + "/dep.txt"
        try "A".write(toFile: file, atomically: false, encoding: .utf8)
        let hasher = DependencyHasher(cache: DigestCache())
        let snapshot = try hasher.snapshot(file)
        #expect(hasher.isUnchanged(file, since: snapshot))
        usleep(10_000)
        try overwrite(file, "B")
        try overwrite(file, "A")
        #expect(try hasher.snapshot(file).digest == snapshot.digest)
        #expect(!hasher.isUnchanged(file, since: snapshot))
    }

    @Test func aFolderDependencyLeavesTheStoreOut() throws {
        try layout.create()
        try "x".write(toFile: root + "/input.txt", atomically: false, encoding: .utf8)
        let hasher = DependencyHasher(cache: DigestCache(), excluded: [layout.root])
        let before = try hasher.snapshot(root)
        // What a run does inside the store meanwhile: a staging folder, ingested into the CAS.
        let staging = layout.work + "/run1-e1"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try "stored meanwhile".write(toFile: staging + "/new.txt", atomically: false, encoding: .utf8)
        _ = try TreeStore(layout: layout).ingest(directory: staging)
        #expect(hasher.isUnchanged(root, since: before))
        #expect(try hasher.snapshot(root).digest == before.digest)
    }

    @Test func gcCannotTakeTheStoreWhileARunHoldsIt() throws {
        try layout.create()
        var run: StoreLease? = try StoreLease.shared(layout)
        #expect(try StoreLease.exclusive(layout) == nil)
        let second = try StoreLease.shared(layout)   // another run may share it
        run = nil
        #expect(try StoreLease.exclusive(layout) == nil)
        withExtendedLifetime(second) {}
        _ = run
    }
}

@Suite struct LexicalPathTests {
    @Test func dotsResolveWithoutFollowingLinks() throws {
        #expect(LexicalPath.normalize("/a/./b//c/../d") == "/a/b/d")
        #expect(LexicalPath.normalize("/../x") == "/x")
        #expect(LexicalPath.resolve(["a", ".", "b", "..", "c"]) == ["a", "c"])
        #expect(LexicalPath.resolve(["a", "..", ".."]) == nil)
        // A symlink is text here: it is not followed.
        let root = scratchDirectory()
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: "/etc")
        #expect(LexicalPath.normalize(root + "/link/x") == root + "/link/x")
    }
}
