import Foundation
import Testing

/// Every command's `--help`, compared with the committed text under `Snapshots/help/` (one file per
/// command path, e.g. `trellis-verify.txt`). A changed option, choice or wording shows up in review.
/// After an intended change: `TRELLIS_UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests`.
@Suite struct HelpSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/help").path
    static let updating = ProcessInfo.processInfo.environment["TRELLIS_UPDATE_SNAPSHOTS"] == "1"

    /// `trellis` and every subcommand its help lists, recursively (command path → help text).
    func helpTexts() throws -> [[String]: String] {
        var cli = CLI()
        cli.environment = ["COLUMNS": "80"]
        var result: [[String]: String] = [:]
        var pending: [[String]] = [[]]
        while let path = pending.popLast() {
            let run = try cli.run(path + ["--help"])
            #expect(run.status == 0, "trellis \(path.joined(separator: " ")) --help exited \(run.status)")
            result[path] = run.stdout
            guard let section = run.stdout.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first else { continue }
            for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.isEmpty { break }
                // Subcommand lines are indented two spaces; wrapped abstracts are indented further.
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else { continue }
                if name != "help" { pending.append(path + [String(name)]) }
            }
        }
        return result
    }

    static func fileName(_ path: [String]) -> String { (["trellis"] + path).joined(separator: "-") + ".txt" }

    @Test func everyCommandsHelpMatchesItsSnapshot() throws {
        let texts = try helpTexts()
        #expect(texts.count > 15, "found \(texts.count) commands")
        if Self.updating { try? FileManager.default.removeItem(atPath: Self.folder) }
        try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
        for (path, text) in texts.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let file = Self.folder + "/" + Self.fileName(path)
            if Self.updating { try text.write(toFile: file, atomically: true, encoding: .utf8); continue }
            let expected = try? String(contentsOfFile: file, encoding: .utf8)
            #expect(expected == text, "trellis \(path.joined(separator: " ")) --help differs from \(Self.fileName(path)) (new command, or run with TRELLIS_UPDATE_SNAPSHOTS=1 after an intended change)")
        }
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder))
        let stale = files.subtracting(texts.keys.map(Self.fileName)).sorted()
        #expect(stale.isEmpty, "snapshots of commands that no longer exist: \(stale)")
    }

    @Test func choicesAreListedAndAValueOutsideThemIsAUsageError() throws {
        let cli = CLI()
        // Help text wraps; compare with runs of whitespace collapsed.
        func help(_ command: String) throws -> String {
            try cli.run(command, "--help").stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        #expect(try help("dag").contains("(values: text, dot, mermaid; default: text)"))
        #expect(try help("table").contains("(values: text, csv, markdown, json; default: text)"))
        #expect(try help("run").contains("(values: local, slurm; default: local)"))
        let bad = try cli.run("run", "--executor", "pbs")
        #expect(bad.status == 2 && bad.stderr.contains("Please provide one of 'local' and 'slurm'"), "\(bad)")
        #expect(try cli.run("run", "--no-such-option").status == 2)
    }
}
