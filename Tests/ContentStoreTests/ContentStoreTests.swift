import CanonicalJSON
import FileIO
import Foundation
import Testing
@testable import ContentStore

func scratchDirectory() -> String {
    let path = NSTemporaryDirectory() + "trellis-cs-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct DigestTests {
    @Test func aDigestFedPieceByPieceEqualsTheOneShotDigest() {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        for piece in [1, 37, 64, 65, 4096] {
            var hasher = DigestHasher()
            for start in stride(from: 0, to: bytes.count, by: piece) { hasher.update(Array(bytes[start..<min(bytes.count, start + piece)])) }
            #expect(hasher.finalize() == Digest.of(bytes: bytes), "pieces of \(piece)")
        }
        #expect(DigestHasher().finalize().hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func sha256KnownVectors() throws {
        // FIPS 180-4 examples.
        #expect(Digest.of(string: "abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.of(string: "").hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let dir = scratchDirectory()
        // Larger than the hasher's buffer, so several updates are exercised.
        let million = String(repeating: "a", count: 1_000_000) + String(repeating: "b", count: 1_500_000)
        try million.write(toFile: dir + "/f", atomically: true, encoding: .utf8)
        #expect(try FileHasher.digest(ofFile: dir + "/f") == Digest.of(string: million))
        #expect(Digest.of(string: String(repeating: "a", count: 1_000_000)).hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func canonicalJSONIgnoresKeyOrder() {
        let a = JSONValue.object(["b": .int(1), "a": .array([.string("x\n\"y"), .double(0.5), .null, .bool(true)])])
        var members: [String: JSONValue] = [:]
        members["a"] = .array([.string("x\n\"y"), .double(0.5), .null, .bool(true)])
        members["b"] = .int(1)
        #expect(a.canonicalString == JSONValue.object(members).canonicalString)
        #expect(a.canonicalString == #"{"a":["x\n\"y",0.5,null,true],"b":1}"#)
        #expect(JSONValue.int(3).canonicalString != JSONValue.double(3).canonicalString)
    }
}

@Suite struct StoreTests {
    let root = scratchDirectory()
    var layout: StoreLayout { StoreLayout(root: root + "/artifacts") }

    func makeOutput(_ files: [String: String]) -> String {
        let dir = root + "/out-\(UUID().uuidString)"
        for (path, text) in files {
            try! FileManager.default.createDirectory(atPath: ((dir + "/" + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try! text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func ingestIsContentAddressedAndMaterializesReadOnly() throws {
        try layout.create()
        let trees = TreeStore(layout: layout)
        let (tree, digest) = try trees.ingest(directory: makeOutput(["a.txt": "hello", "sub/b.txt": "world"]))
        #expect(tree.entries.map(\.path) == ["a.txt", "sub/b.txt"])
        // The same content gives the same tree, whatever folder it came from.
        let (_, again) = try trees.ingest(directory: makeOutput(["sub/b.txt": "world", "a.txt": "hello"]))
        #expect(again == digest)
        let checkout = try trees.materialize(digest)
        #expect(try String(contentsOfFile: checkout + "/sub/b.txt", encoding: .utf8) == "world")
        let mode = try FileManager.default.attributesOfItem(atPath: layout.blobPath(Digest.of(string: "hello")))[.posixPermissions] as? Int
        #expect(mode == 0o444)
        #expect(try trees.load(digest) == tree)
    }

    @Test func corruptBlobIsNeverServedAndVerifyQuarantinesIt() throws {
        try layout.create()
        let trees = TreeStore(layout: layout)
        let (_, digest) = try trees.ingest(directory: makeOutput(["a.txt": "precious"]))
        let blob = layout.blobPath(Digest.of(string: "precious"))
        chmod(blob, 0o644)
        try "tampered".write(toFile: blob, atomically: false, encoding: .utf8)
        let report = try StoreVerifier(layout: layout).verify()
        #expect(report.corrupt.count == 1)
        #expect(!report.usableTrees.contains(digest))
        #expect(!FileManager.default.fileExists(atPath: blob))
        #expect(FileManager.default.fileExists(atPath: layout.quarantine + "/" + Digest.of(string: "precious").hex))
        #expect(throws: StoreError.self) { try trees.materialize(digest) }
        #expect(!FileManager.default.fileExists(atPath: layout.outputPath(digest)))
        // A second verify finds no corrupt object, but still a tree whose blob is gone.
        let again = try StoreVerifier(layout: layout).verify()
        #expect(again.corrupt.isEmpty)
        #expect(again.missingBlobs == [Digest.of(string: "precious").hex])
        #expect(!again.usableTrees.contains(digest))
    }

    @Test func treeListingWithAnotherVersionIsRefused() throws {
        let data = Data(#"{"entries":[],"format":"trellis-tree","version":99}"#.utf8)
        #expect(throws: StoreError.self) { try OutputTree.decode(data, path: "t") }
        #expect(throws: StoreError.self) { try OutputTree.decode(Data("garbage".utf8), path: "t") }
    }

    @Test func garbageCollectionKeepsWhatIsLive() throws {
        try layout.create()
        let trees = TreeStore(layout: layout)
        let (_, keep) = try trees.ingest(directory: makeOutput(["k.txt": "keep"]))
        let (_, drop) = try trees.ingest(directory: makeOutput(["d.txt": "drop"]))
        _ = try trees.materialize(drop)
        let log = try BlobStore(layout: layout).put(Array("log".utf8))
        let gc = GarbageCollector(layout: layout)
        let plan = gc.plan(liveTrees: [keep], liveBlobs: [log])
        #expect(plan.trees == [layout.treePath(drop)])
        #expect(plan.blobs == [layout.blobPath(Digest.of(string: "drop"))])
        #expect(plan.checkouts == [layout.outputPath(drop)])
        gc.apply(plan)
        #expect(try trees.load(keep).entries.count == 1)
        #expect(BlobStore(layout: layout).contains(log))
        #expect(!trees.contains(drop))
    }

    @Test func atomicWriteReplacesWhole() throws {
        let path = root + "/x/file"
        try AtomicFile.write("one", to: path)
        try AtomicFile.write("two", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/x") == ["file"])
    }
}

@Suite struct DependencyHasherTests {
    let root = scratchDirectory()

    @Test func statCacheAvoidsRehashingUntilTheFileChanges() throws {
        let file = root + "/dep.txt"
        try "v1".write(toFile: file, atomically: true, encoding: .utf8)
        let cache = DigestCache()
        let hasher = DependencyHasher(cache: cache)
        let first = try hasher.snapshot(file)
        #expect(first.digest == Digest.of(string: "v1"))
        #expect(cache.newEntries.count == 1)
        // Unchanged: answered from the cache, nothing new recorded.
        _ = cache.takeNewEntries()
        #expect(try hasher.snapshot(file).digest == first.digest)
        #expect(cache.newEntries.isEmpty)
        // A cached digest is trusted while the signature matches: prove it by planting one.
        let signature = FileSignature.of(path: file)!
        cache.record(file, signature, Digest.of(string: "planted"))
        #expect(try hasher.snapshot(file).digest == Digest.of(string: "planted"))
        #expect(try DependencyHasher(cache: cache, rehashAll: true).snapshot(file).digest == Digest.of(string: "v1"))
        // Rewriting changes mtime/ctime/inode: rehashed.
        try "v2".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try hasher.snapshot(file).digest == Digest.of(string: "v2"))
        #expect(!hasher.isUnchanged(file, since: first))
    }

    @Test func folderDigestCoversNamesContentsAndAdditions() throws {
        let dir = root + "/d"
        try FileManager.default.createDirectory(atPath: dir + "/s", withIntermediateDirectories: true)
        try "a".write(toFile: dir + "/s/a", atomically: true, encoding: .utf8)
        let hasher = DependencyHasher(cache: DigestCache())
        let before = try hasher.snapshot(dir)
        #expect(hasher.isUnchanged(dir, since: before))
        try "b".write(toFile: dir + "/s/b", atomically: true, encoding: .utf8)
        #expect(!hasher.isUnchanged(dir, since: before))
        #expect(try hasher.snapshot(dir).digest != before.digest)
        #expect(throws: StoreError.self) { try hasher.snapshot(root + "/missing") }
    }
}
