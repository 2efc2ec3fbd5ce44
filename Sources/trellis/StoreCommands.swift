import ArgumentParser
import ContentStore
import Execution
import Foundation
import PipelineGraph
import PipelineSpec
import RunDatabase
import Scheduling
import StageKinds

struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove stored outputs that no given manifest's current stages and no recent run need.",
        discussion: "Dry run unless --apply. Keeps the outputs of every stage that is fresh in the given manifests, and everything produced within --keep-days.")

    @Option(name: [.customShort("f"), .customLong("file")], help: "Manifests whose current outputs to keep (repeatable).")
    var manifests: [String] = []
    @Option(help: ArgumentHelp("Refuse manifest files larger than this many bytes.", valueName: "bytes"))
    var maxManifestBytes: Int = YAMLReader.defaultMaxBytes
    @Option(help: "The store folder.") var store: String?
    @Option(help: "Also keep what runs of the last N days produced.") var keepDays: Double = 7
    @Flag(help: "Delete (default: only list what would go).") var apply = false
    @Flag(help: "With --apply: wait for running `trellis run`s on this store to end instead of refusing.") var wait = false
    @Flag(help: "Machine-readable output.") var json = false

    func run() async throws {
        try await guarded {
            if manifests.isEmpty && store == nil {
                guard FileManager.default.fileExists(atPath: "trellis.yaml") else {
                    throw UsageError(message: "nothing tells gc what to keep", hint: "name manifests with -f (repeatable), or the store with --store")
                }
            }
            let files = manifests.isEmpty && store == nil ? ["trellis.yaml"] : manifests
            var heads = Set<String>()
            var root = store
            // Deleting needs the store to itself, from before the plan of what is live until the
            // last removal: no run may hold (or be about to write) what the plan would remove.
            var lease: StoreLease?
            func takeStore(_ layout: StoreLayout) throws {
                guard apply, lease == nil else { return }
                lease = try StoreLease.exclusive(layout, wait: wait)
                guard lease != nil else {
                    throw UsageError(message: "a `trellis run` is using the store \(layout.root); gc --apply would remove what it needs",
                                     hint: "run gc when it has ended, or add --wait to wait for it")
                }
            }
            defer { withExtendedLifetime(lease) {} }
            if let store { try takeStore(StoreLayout(root: store)) }
            for file in files {
                var options = ManifestOptions()
                options.manifest = file
                options.store = store
                options.maxManifestBytes = maxManifestBytes
                let (experiment, graph) = try options.load()
                let workspace = try options.workspace(for: experiment)
                root = root ?? workspace.layout.root
                try takeStore(workspace.layout)
                for e in try workspace.plan(graph, targets: [], kindIdentity: kindIdentity) where e.state == .fresh { heads.insert(e.key!.hex) }
            }
            let workspace = try Workspace(storeRoot: root!)
            try workspace.database.closeAbandonedRuns()
            let live = try workspace.database.liveObjects(headKeys: heads, since: Date().addingTimeInterval(-keepDays * 86400))
            let active = Set(try workspace.database.activeRunIDs().map { "run\($0)-" })
            let collector = GarbageCollector(layout: workspace.layout)
            var plan = collector.plan(liveTrees: live.trees, liveBlobs: live.blobs, resumeCutoff: Date().addingTimeInterval(-keepDays * 86400))
            plan.staging.removeAll { path in active.contains { (path as NSString).lastPathComponent.hasPrefix($0) } }
            let summary = "\(plan.trees.count) trees, \(plan.blobs.count) blobs, \(plan.checkouts.count) checkouts, \(plan.staging.count) staging folders, \(plan.resume.count) resume folders, \(live.deadKeys.count) cache entries (\(TerminalReporter.size(plan.bytes)))"
            if apply {
                try workspace.database.forgetActions(keys: live.deadKeys)
                collector.apply(plan)
            }
            if json {
                printJSON(["applied": apply, "trees": plan.trees, "blobs": plan.blobs, "checkouts": plan.checkouts,
                           "staging": plan.staging, "resume": plan.resume, "cache_entries": live.deadKeys, "bytes": plan.bytes])
            } else if apply {
                print("removed " + summary)
            } else {
                for path in plan.paths { print("would remove \(path)") }
                print("would remove " + summary + "; run with --apply to delete")
            }
        }
    }
}

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Rehash every stored object and report (and quarantine) corruption.",
        discussion: "With --rerun STAGE: run the stage again from its stored inputs and compare the output with the stored one, naming the numeric paths of both (the store itself is not rehashed then).")

    @OptionGroup var manifest: ManifestOptions
    @Option(help: ArgumentHelp("Rerun this stage (an instance name, e.g. sweep[size=2]) and compare its output with the stored one (repeatable).", valueName: "stage"))
    var rerun: [String] = []
    @Flag(help: "Machine-readable output.") var json = false

    func run() async throws {
        try await guarded {
            if !rerun.isEmpty { return try await rerunStages() }
            let root: String
            if let store = manifest.store { root = store } else {
                let (experiment, _) = try manifest.load()
                root = Workspace.defaultStoreRoot(forManifestDirectory: experiment.manifest.directory)
            }
            let workspace = try Workspace(storeRoot: root)
            let started = Date()
            let report = try StoreVerifier(layout: workspace.layout).verify { n in
                FileHandle.standardError.write(Data("verified \(n) blobs…\n".utf8))
            }
            // An output that can no longer be checked out (damaged listing, damaged or missing blob)
            // must not stay in the action cache: its stage becomes a miss and the next run rebuilds it.
            let dropped = try workspace.database.actionCache().filter { !report.usableTrees.contains($0.value) }.map(\.key).sorted()
            try workspace.database.forgetActions(keys: dropped)
            let databaseProblems = try workspace.database.integrityProblems()
            let seconds = Date().timeIntervalSince(started)
            if json {
                printJSON(["blobs": report.blobsChecked, "trees": report.treesChecked, "bytes": report.bytesChecked, "seconds": seconds,
                           "corrupt": report.corrupt.map { ["digest": $0.digest, "path": $0.path, "reason": $0.reason] },
                           "missing_blobs": report.missingBlobs, "dropped_cache_entries": dropped, "database_problems": databaseProblems])
            } else {
                print("checked \(report.blobsChecked) blobs and \(report.treesChecked) trees (\(TerminalReporter.size(report.bytesChecked))) and the run database in \(String(format: "%.2f", seconds)) s")
                for c in report.corrupt { print("CORRUPT \(c.digest.prefix(12))  \(c.path): \(c.reason) — quarantined") }
                for m in report.missingBlobs { print("MISSING \(m.prefix(12))  \(workspace.layout.root)/cas/\(m.prefix(2))/\(m.dropFirst(2))") }
                if !dropped.isEmpty { print("\(dropped.count) cached stage output(s) can no longer be served; they will be rebuilt on the next run") }
                for p in databaseProblems.prefix(10) { print("DATABASE \(workspace.layout.database): \(p)") }
            }
            if !databaseProblems.isEmpty {
                throw RunDatabaseError.damaged(path: workspace.layout.database, detail: "integrity check: \(databaseProblems.count) problem(s)")
            }
            if !report.corrupt.isEmpty || !report.missingBlobs.isEmpty || !dropped.isEmpty { throw ExitCode(1) }
        }
    }
}

extension VerifyCommand {
    /// `--rerun`: each named stage runs again; exit 1 when an output differs from the stored one in
    /// more than wall-clock fields.
    func rerunStages() async throws {
        let (experiment, graph) = try manifest.load()
        let workspace = try manifest.workspace(for: experiment)
        let executor = LocalExecutor(builtins: BuiltinKinds.registry, trellisBinary: RunCommand.executablePath)
        let verifier = StageRerun(workspace: workspace, graph: graph, executor: executor, builtins: BuiltinKinds.registry)
        let cancellation = Cancellation()
        let trap = SignalTrap(cancellation: cancellation)
        defer { withExtendedLifetime(trap) {} }
        var comparisons: [StageRerun.Comparison] = []
        for name in rerun {
            FileHandle.standardError.write(Data("rerunning \(name)…\n".utf8))
            let c = try await verifier.rerun(name, cores: ProcessInfo.processInfo.activeProcessorCount, cancellation: cancellation)
            comparisons.append(c)
            if !json {
                print("\(c.stage): \(c.verdict)")
                print("  stored \(c.stored.short)  numeric path: \(c.storedNumericPath ?? "not recorded")  \(c.storedCheckout)")
                print("  rerun  \(c.rerun.short)  numeric path: \(c.rerunNumericPath ?? "not recorded")  \(c.rerunCheckout)")
                for file in c.differences.files.prefix(20) { print("  differs: \(file.description)") }
                if c.differences.files.count > 20 { print("  … \(c.differences.files.count - 20) more files") }
            }
        }
        if json {
            printJSON(comparisons.map { c in
                ["stage": c.stage, "key": c.key.hex, "stored": c.stored.hex, "rerun": c.rerun.hex, "identical": c.identical,
                 "stored_numeric_path": c.storedNumericPath ?? NSNull(), "rerun_numeric_path": c.rerunNumericPath ?? NSNull(),
                 "same_numeric_path": c.sameNumericPath, "reproduced": c.reproduced, "verdict": c.verdict,
                 "differences": c.differences.files.map { f in ["path": f.path, "presence": f.presence ?? NSNull(), "fields": f.fields ?? NSNull()] as [String: Any] },
                 "stored_checkout": c.storedCheckout, "rerun_checkout": c.rerunCheckout] as [String: Any]
            })
        }
        if comparisons.contains(where: { !$0.reproduced }) { throw ExitCode(1) }
    }
}
