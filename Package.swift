// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Trellis",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "trellis", targets: ["trellis"]),
        .executable(name: "tokenizer-bench", targets: ["tokenizer-bench"]),
        .executable(name: "engine-bench", targets: ["engine-bench"]),
        .executable(name: "corpus-bench", targets: ["corpus-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        // MARK: Orchestration
        // Leaf targets (Foundation only, or one package): formats that orchestration and ML targets share.
        .target(name: "CanonicalJSON"),
        // SHA-256 content digests (swift-crypto).
        .target(name: "ContentDigest", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Whole-or-nothing file writes (temp, fsync, rename) and the one file reader.
        .target(name: "FileIO"),
        // Data-parallel loops over an index range (blocks claimed from a shared counter, results by index).
        .target(name: "ParallelLoops"),
        // Jinja-style prompt templates (lm-evaluation-harness, promptsource and xP3 templates), Foundation only.
        .target(name: "PromptTemplates", dependencies: ["CanonicalJSON"]),
        // xP3-style prompted mixtures (the prompts kind) and the JSON-lines records they and task files read.
        .target(name: "PromptedData", dependencies: ["PromptTemplates", "CanonicalJSON", "FileIO", "ContentDigest"]),
        // libyaml (Debian libyaml-dev, pkg-config `yaml-0.1`): the manifest reader's event parser.
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .target(name: "PipelineSpec", dependencies: ["CanonicalJSON", "CLibYAML", "FileIO", "ParallelLoops"]),
        .target(name: "ContentStore", dependencies: ["ContentDigest", "FileIO", "CanonicalJSON", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "PipelineGraph", dependencies: ["PipelineSpec", "ContentDigest", "CanonicalJSON", "ParallelLoops"]),
        .target(name: "RunDatabase", dependencies: ["ContentStore", "CanonicalJSON", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Execution", dependencies: ["FileIO", "CanonicalJSON"]),
        .target(name: "Scheduling", dependencies: ["PipelineSpec", "PipelineGraph", "ContentStore", "RunDatabase", "Execution", "CanonicalJSON", "FileIO"]),

        // MARK: ML and planning (Foundation and C system libraries only, no orchestration imports)
        // OpenBLAS (Debian libopenblas-dev, pkg-config `openblas`): cblas_sgemm.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // AVX-512 C kernels (GeLU, softmax, cross-entropy, LayerNorm, AdamW), chosen at run time by CPU feature.
        .target(name: "CPUKernels"),
        // Float32 tensors, reverse-mode autograd, Backend protocol, CPU kernels, collectives.
        .target(name: "TensorEngine", dependencies: ["COpenBLAS", "CPUKernels"]),
        .target(name: "Layers", dependencies: ["TensorEngine"]),
        .target(name: "Optimization", dependencies: ["TensorEngine", "Layers"]),
        // BLOOM (HF-compatible), safetensors + config.json, generation.
        .target(name: "Models", dependencies: ["TensorEngine", "Layers", "Optimization", "FileIO"]),
        .target(name: "EngineTestSupport", dependencies: ["TensorEngine"]),
        .target(name: "Tokenization", dependencies: ["FileIO", "ParallelLoops"]),
        .target(name: "ClusterPlanning"),
        // ROOTS-style corpus building: fetch, language ID, filters, dedup, PII, shards, reports.
        // Release builds skip dynamic exclusivity checks in the per-document hot loops (worker scratch buffers).
        .target(name: "CorpusKernels"),
        // The corpus' file formats: documents, shards, format headers and their JSON, what the trainer reads.
        .target(name: "CorpusFormat", dependencies: ["CanonicalJSON", "FileIO"]),
        .target(name: "Corpus", dependencies: ["CanonicalJSON", "ContentDigest", "CorpusFormat", "CorpusKernels", "FileIO", "ParallelLoops"], resources: [.copy("Resources/selections")],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),

        // MARK: Bridge
        .target(name: "Evaluation", dependencies: ["FileIO"]),
        .target(name: "Report"),
        .target(name: "Training", dependencies: ["TensorEngine", "Layers", "Optimization", "Models", "Tokenization", "CorpusFormat", "CanonicalJSON", "FileIO"]),
        // lm-evaluation-harness task files are YAML: the manifest reader (PipelineSpec) reads them, with locations.
        .target(name: "LMEvaluation", dependencies: ["Training", "Evaluation", "Models", "TensorEngine", "Tokenization", "ContentDigest", "CanonicalJSON", "FileIO", "PipelineSpec", "PromptTemplates", "PromptedData"]),
        // The SourceDigest plugin digests the sources of StageKinds and every target it depends on
        // at build time: a builtin stage's key knows the code that runs it.
        .target(name: "StageKinds", dependencies: ["Execution", "CanonicalJSON", "Tokenization", "ClusterPlanning", "Corpus", "Training", "LMEvaluation", "PromptedData", "TensorEngine", "FileIO"],
                plugins: ["SourceDigestPlugin"]),
        .executableTarget(name: "source-digest"),
        .plugin(name: "SourceDigestPlugin", capability: .buildTool(), dependencies: ["source-digest"]),

        // MARK: Executables
        .executableTarget(name: "trellis", dependencies: [
            "PipelineSpec", "PipelineGraph", "ContentStore", "RunDatabase", "Execution", "Scheduling", "StageKinds",
            "Tokenization", "ClusterPlanning", "Models", "Report", "Training", "TensorEngine", "Corpus", "FileIO", "LMEvaluation", "Evaluation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "tokenizer-bench", dependencies: ["Tokenization"]),
        .executableTarget(name: "corpus-bench", dependencies: ["Corpus", "CanonicalJSON"]),
        .executableTarget(name: "engine-bench", dependencies: ["TensorEngine", "Layers", "Optimization", "Models", "Training", "COpenBLAS"]),

        // MARK: Tests
        .testTarget(name: "CanonicalJSONTests", dependencies: ["CanonicalJSON"]),
        .testTarget(name: "ParallelLoopsTests", dependencies: ["ParallelLoops"]),
        .testTarget(name: "PromptedDataTests", dependencies: ["PromptedData", "CanonicalJSON"]),
        .testTarget(name: "PromptTemplatesTests", dependencies: ["PromptTemplates", "CanonicalJSON"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PipelineSpecTests", dependencies: ["PipelineSpec"]),
        .testTarget(name: "PipelineGraphTests", dependencies: ["PipelineGraph", "PipelineSpec", "ContentDigest"]),
        .testTarget(name: "ContentStoreTests", dependencies: ["ContentStore", "CanonicalJSON", "FileIO"]),
        .testTarget(name: "RunDatabaseTests", dependencies: ["RunDatabase"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling", "StageKinds", "Execution", "RunDatabase", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CLITests", dependencies: ["trellis", "Training"], exclude: ["Snapshots"]),
        .testTarget(name: "TokenizationTests", dependencies: ["Tokenization"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Tokenization", "Models", "TensorEngine"]),
        .testTarget(name: "LMEvaluationTests", dependencies: ["LMEvaluation", "Training", "Tokenization", "Models", "TensorEngine", "CanonicalJSON", "PromptTemplates"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "FileIO"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ClusterPlanningTests", dependencies: ["ClusterPlanning"]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "CorpusFormat", "CanonicalJSON", "ContentDigest"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine", "CPUKernels", "EngineTestSupport"]),
        .testTarget(name: "OptimizationTests", dependencies: ["Optimization", "Layers", "EngineTestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Optimization", "Layers", "EngineTestSupport"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v5]
)
