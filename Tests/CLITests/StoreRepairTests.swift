import Foundation
import Testing

/// `verify`, `gc` and the run database against damage and live runs (issue #14).
@Suite(.serialized) struct StoreRepairTests {
    func project() throws -> CLI {
        let cli = CLI()
        cli.write("trellis.yaml", """
            trellis: 1
            name: repair
            stages:
              up:   {run: "seq 1 100 > ${out}/n.txt"}
              leaf: {run: "echo leaf > ${out}/l.txt"}
            """)
        #expect(try cli.run("run").status == 0)
        return cli
    }

    func blob(_ cli: CLI, holding text: String) -> String {
        let hex = sha256Hex(text)
        return "\(cli.directory)/artifacts/cas/\(hex.prefix(2))/\(hex.dropFirst(2))"
    }

    func sha256Hex(_ text: String) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try! p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try! input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    @Test func verifyTurnsADeletedOrCorruptBlobIntoAMissAndTheNextRunRebuildsIt() throws {
        let cli = try project()
        unlink(blob(cli, holding: "leaf\n"))
        let corrupt = blob(cli, holding: (1...100).map(String.init).joined(separator: "\n") + "\n")
        chmod(corrupt, 0o644)
        try "garbage".write(toFile: corrupt, atomically: false, encoding: .utf8)
        let verify = try cli.run("verify")
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("MISSING") && verify.stdout.contains("CORRUPT"), "\(verify.output)")
        #expect(verify.stdout.contains("2 cached stage output(s)"), "\(verify.output)")
        let states = try cli.statusJSON()
        #expect(states.count == 2 && !states.values.contains("fresh"), "\(states)")
        let run = try cli.run("run")
        #expect(run.status == 0 && run.output.contains("up") && run.output.contains("leaf"), "\(run.output)")
        #expect(Set(try cli.statusJSON().values) == ["fresh"])
        #expect(try cli.run("verify").status == 0)
    }

    @Test func aDamagedTreeListingIsRebuiltOnceNotForever() throws {
        let cli = try project()
        let trees = cli.directory + "/artifacts/trees"
        for prefix in try FileManager.default.contentsOfDirectory(atPath: trees) {
            for name in try FileManager.default.contentsOfDirectory(atPath: trees + "/" + prefix) {
                chmod("\(trees)/\(prefix)/\(name)", 0o644)
                try "{}".write(toFile: "\(trees)/\(prefix)/\(name)", atomically: false, encoding: .utf8)
            }
        }
        #expect(try cli.run("verify").status == 1)
        #expect(try cli.run("run").status == 0)
        #expect(try cli.run("verify").status == 0)
        #expect(Set(try cli.statusJSON().values) == ["fresh"])
    }

    @Test func garbageInsideTheDatabaseIsFoundAndExplained() throws {
        let cli = try project()
        let db = cli.directory + "/artifacts/trellis.db"
        // Fold the WAL into the file first, then overwrite a page in the middle of it.
        #expect(try cli.run("status").status == 0)
        let handle = try #require(FileHandle(forUpdatingAtPath: db))
        let size = try handle.seekToEnd()
        #expect(size >= 8192)
        try handle.seek(toOffset: 4096)
        handle.write(Data(repeating: 0xA5, count: 4096))
        try handle.close()
        let verify = try cli.run("verify")
        #expect(verify.status == 1, "\(verify.output)")
        #expect(verify.stderr.contains("trellis.db") && verify.stderr.contains("hint:"), "\(verify.output)")
    }

    @Test func gcApplyRefusesWhileARunHoldsTheStore() throws {
        let cli = try project()
        cli.write("trellis.yaml", "trellis: 1\nname: repair\nstages:\n  slow: {run: \"sleep 2; echo s > ${out}/s\"}\n")
        let (run, _, _) = try cli.start(["run"])
        usleep(700_000)
        let gc = try cli.run("gc", "-f", "trellis.yaml", "--keep-days", "0", "--apply")
        #expect(gc.status == 2, "\(gc.output)")
        #expect(gc.stderr.contains("is using the store"), "\(gc.output)")
        let waited = try cli.run("gc", "-f", "trellis.yaml", "--keep-days", "0", "--apply", "--wait")
        run.waitUntilExit()
        #expect(run.terminationStatus == 0 && waited.status == 0, "\(waited.output)")
        #expect(Set(try cli.statusJSON().values) == ["fresh"])
    }
}

/// What a SIGKILL of `trellis` leaves behind (issue #14, item 11).
@Suite(.serialized) struct KilledRunTests {
    /// A process is gone once it no longer exists or is a zombie (PID 1 here may not reap).
    static func isGone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }

    @Test func stageProcessesDieWithTrellisAndTheNextRunClearsTheStaging() throws {
        let cli = CLI()
        cli.write("trellis.yaml", "trellis: 1\nstages:\n  s: {run: \"sleep 30 & echo $! > child.pid; echo x > ${out}/partial; wait\"}\n")
        let (process, _, _) = try cli.start(["run"])
        #expect(cli.waitFor("child.pid"))
        usleep(100_000)
        let child = try #require(Int32(try String(contentsOfFile: cli.directory + "/child.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(process.processIdentifier, SIGKILL)
        var waited = 0
        while !Self.isGone(child) && waited < 50 { usleep(100_000); waited += 1 }
        #expect(Self.isGone(child), "the stage's background process outlived trellis")
        process.waitUntilExit()
        let work = cli.directory + "/artifacts/work"
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: work)).isEmpty)
        cli.write("trellis.yaml", "trellis: 1\nstages:\n  s: {run: \"echo done > ${out}/o\"}\n")
        #expect(try cli.run("run").status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
    }
}

/// What a stage process inherits from trellis.
@Suite struct StageDescriptorTests {
    @Test func aStageGetsOnlyItsStandardDescriptors() throws {
        let cli = CLI()
        cli.write("trellis.yaml", "trellis: 1\nstages:\n  s: {run: \"ls /proc/$$/fd > ${out}/fds\"}\n")
        #expect(try cli.run("run").status == 0)
        let output = try #require(try JSONSerialization.jsonObject(with: Data(try cli.run("show", "s", "--json").stdout.utf8)) as? [String: Any])
        let fds = try String(contentsOfFile: (output["output"] as? String ?? "") + "/fds", encoding: .utf8).split(separator: "\n").sorted()
        // The stage's shell: stdin (/dev/null), stdout and stderr (its log); nothing of trellis's.
        #expect(fds == ["0", "1", "2"], "\(fds)")
    }
}

/// The build-time digest tool behind builtin kinds' code keys (issue #15, item 1).
@Suite struct SourceDigestToolTests {
    static let tool = (CLI.binary as NSString).deletingLastPathComponent + "/source-digest"

    func digests(_ root: String) throws -> String {
        let out = root + "/SourceDigests.swift"
        let r = try CLI.shell("'\(Self.tool)' '\(out)' --module Kinds --target Kinds --root '\(root)/Kinds' --deps Lib '\(root)/Kinds/K.swift' "
                              + "--target Lib --root '\(root)/Lib' --deps '' '\(root)/Lib/L.swift' '\(root)/Lib/res' && cat '\(out)'")
        return r
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: tool), "needs the built source-digest tool"))
    func anEditToADependencyOrItsResourcesChangesThatTargetsDigestOnly() throws {
        let root = NSTemporaryDirectory() + "trellis-digest-\(UUID().uuidString)"
        for (path, text) in ["Kinds/K.swift": "import Lib\nimport Foundation\n", "Lib/L.swift": "let x = 1\n", "Lib/res/data.txt": "d\n"] {
            try FileManager.default.createDirectory(atPath: ((root + "/" + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
        }
        func line(_ text: String, _ name: String) -> String { text.split(separator: "\n").first { $0.contains("\"\(name)\": \"") }.map(String.init) ?? "" }
        let before = try digests(root)
        #expect(before.contains("\"K.swift\": (") && before.contains("[\"Foundation\", \"Lib\"]"), "\(before)")
        try "let x = 2\n".write(toFile: root + "/Lib/L.swift", atomically: true, encoding: .utf8)
        let afterCode = try digests(root)
        #expect(line(afterCode, "Lib") != line(before, "Lib") && line(afterCode, "Kinds") == line(before, "Kinds"))
        try "changed\n".write(toFile: root + "/Lib/res/data.txt", atomically: true, encoding: .utf8)
        let final = try digests(root)
        #expect(line(final, "Lib") != line(afterCode, "Lib"))
        // Where the checkout lies does not matter: paths enter relative to each target's folder.
        let moved = root + "-moved"
        try FileManager.default.moveItem(atPath: root, toPath: moved)
        #expect(try digests(moved) == final)
    }
}
