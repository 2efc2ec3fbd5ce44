import Execution

/// What of this binary's code each builtin kind runs, for its stage keys: the digests of its own
/// files in StageKinds and of every target those files import, with the targets those depend on
/// (digests from `SourceDigests`, generated at build time). Rebuilding after an edit to the trainer
/// changes the keys of `train` stages (and of the kinds whose code reaches the trainer), not those of
/// `plan` or `collect`; no version needs bumping by hand. Compiler, build flags and the CPU's numeric
/// path are not in it (see docs/ARCHITECTURE.md).
public enum KindCode {
    /// Kind → its files in StageKinds. Every file of the module is claimed here or listed in `bookkeeping`.
    static let files: [String: [String]] = [
        "collect": ["CollectKind.swift"],
        "write": ["WriteFilesKind.swift"],
        "plan": ["PlanKind.swift"],
        "tokenizer": ["TokenizerKind.swift"],
        "fetch": ["CorpusKind.swift"],
        "corpus": ["CorpusKind.swift"],
        "train": ["TrainKind.swift", "MPITrainingLauncher.swift", "TrainingProgressReport.swift"],
        "eval": ["EvalKind.swift", "TrainKind.swift"],   // UpstreamFolders lives in TrainKind.swift
        "prompts": ["PromptsKind.swift"],
        "test-trap": ["TestKinds.swift"], "test-sleep": ["TestKinds.swift"], "test-burn": ["TestKinds.swift"],
    ]
    /// Files that decide no stage's output (the registry, this table).
    static let bookkeeping: Set<String> = ["BuiltinKinds.swift", "KindCode.swift"]

    /// The build-time digests a kind's code is read from (`SourceDigests`, or a test's variant).
    public struct Sources: Sendable {
        public var files: [String: (digest: String, imports: [String])]
        public var targets: [String: String]
        public var dependencies: [String: [String]]

        public static let built = Sources(files: SourceDigests.files, targets: SourceDigests.own, dependencies: SourceDigests.dependencies)
    }

    /// Name (a StageKinds file or a target) → digest, for `kind`; nil for a kind this table lacks.
    public static func digests(of kind: String) -> [String: String]? { built[kind] }

    private static let built: [String: [String: String]] = Dictionary(uniqueKeysWithValues: files.keys.map { ($0, digests(of: $0, in: .built)) })

    /// The kind's files, the targets they import and every target those depend on, with digests.
    public static func digests(of kind: String, in sources: Sources) -> [String: String] {
        var result: [String: String] = [:]
        var pending: [String] = []
        for file in files[kind] ?? [] {
            guard let entry = sources.files[file] else { continue }
            result[file] = entry.digest
            pending += entry.imports.filter { sources.targets[$0] != nil }
        }
        while let target = pending.popLast() {
            guard result[target] == nil, let digest = sources.targets[target] else { continue }
            result[target] = digest
            pending += sources.dependencies[target] ?? []
        }
        return result
    }

    /// Files of StageKinds that neither a kind claims nor `bookkeeping` lists (must be empty).
    public static var unclaimedFiles: [String] {
        let claimed = Set(files.values.joined()).union(bookkeeping)
        return SourceDigests.files.keys.filter { !claimed.contains($0) }.sorted()
    }

    /// Kinds of the registry that have no entry here (must be empty).
    public static var kindsWithoutCode: [String] {
        BuiltinKinds.registry.names.filter { files[$0] == nil }.sorted()
    }
}

extension BuiltinKind {
    /// Every kind of this module keys its stages by the code `KindCode` lists for it.
    public var codeDigests: [String: String] { KindCode.digests(of: name) ?? [:] }
}
