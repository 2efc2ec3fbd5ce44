import CanonicalJSON
import Foundation

/// Progress of a corpus run, reported after every batch.
public struct CorpusProgress: Sendable {
    public enum Phase: String, Sendable { case scan, process, finish }
    public var phase: Phase
    /// Input bytes (document file bytes) handled so far in this phase, and in total.
    public var bytesDone: Int
    public var bytesTotal: Int
    public var documentsDone: Int
}

/// Everything a corpus run needs besides its input. Defaults follow ROOTS.
public struct CorpusConfiguration: Sendable {
    /// The fetch step's output folder (`sources.json`, `text/`, `eval/`).
    public var inputDirectory: String
    /// Where shards, `manifest.json`, `stats.json`, `report.md` and `eval/` go.
    public var outputDirectory: String
    /// Worker threads. Output bytes do not depend on it.
    public var cores: Int
    /// Apply the ROOTS quality filters (and their pre-filter text normalization) to text documents.
    public var qualityFilters: Bool = true
    /// The perplexity filter (after language ID; text only, needs `qualityFilters`); nil = off.
    public var perplexity: PerplexitySettings? = PerplexitySettings()
    /// Remove exact duplicates (normalized digest).
    public var exactDedup: Bool = true
    /// Near-duplicate removal: SimHash over character shingles, Hamming radius and block count; nil = off.
    public var nearDedup: (hamming: Int, blocks: Int, shingle: Int)? = (4, 6, 6)
    /// Template-line removal: stripped lines of at least `minLength` characters occurring at least
    /// `minCount` times in their (source, language) dataset are deleted; nil = off.
    public var templateLines: (minLength: Int, minCount: Int)? = (15, 10)
    /// Delete training lines that also occur in the evaluation sets (lines of ≥ 20 characters).
    public var decontaminate: Bool = true
    /// Redact EMAIL, USER, IP_ADDRESS, KEY in text documents (`piiInCode`: also in code).
    public var pii: Bool = true
    public var piiInCode: Bool = false
    /// Target shard size in bytes (a shard closes after the document that crosses it).
    public var shardBytes: Int = 64 << 20
    /// Input read per batch: bounds memory (about 4× this in flight).
    public var batchBytes: Int = 4 << 20
    /// Language-ID training text taken per (source, language).
    public var languageIDSampleBytes: Int = 200_000
    /// Removed documents kept as examples per filter (chosen by a stable hash of their id).
    public var samplesPerFilter: Int = 5
    public var progress: (@Sendable (CorpusProgress) -> Void)?
    public var isCancelled: @Sendable () -> Bool = { false }

    public init(inputDirectory: String, outputDirectory: String, cores: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.inputDirectory = inputDirectory
        self.outputDirectory = outputDirectory
        self.cores = max(1, cores)
    }

    /// Checks ranges; throws `CorpusError.invalidConfiguration` naming the field.
    public func validate() throws {
        if let near = nearDedup {
            guard near.hamming >= 0, near.blocks > near.hamming, near.blocks <= 16 else {
                throw CorpusError.invalidConfiguration(field: "dedup.simhash", problem: "need 0 ≤ hamming < blocks ≤ 16 (got hamming \(near.hamming), blocks \(near.blocks))")
            }
            guard (1...32).contains(near.shingle) else { throw CorpusError.invalidConfiguration(field: "dedup.simhash.shingle", problem: "must be 1…32") }
        }
        if let p = perplexity {
            guard (0...100).contains(p.percentile) else { throw CorpusError.invalidConfiguration(field: "perplexity.percentile", problem: "must be 0…100 (got \(p.percentile))") }
            guard p.referenceBytesPerLanguage > 0 else { throw CorpusError.invalidConfiguration(field: "perplexity.reference_bytes", problem: "must be positive") }
            guard !p.referenceSources.isEmpty else { throw CorpusError.invalidConfiguration(field: "perplexity.reference_sources", problem: "must name at least one source") }
        }
        guard shardBytes >= 1024 else { throw CorpusError.invalidConfiguration(field: "shard_bytes", problem: "must be at least 1024") }
        guard batchBytes >= 1024 else { throw CorpusError.invalidConfiguration(field: "batch_bytes", problem: "must be at least 1024") }
    }

    /// The settings that determine output bytes, recorded in the manifest (cores and paths excluded).
    var fingerprint: JSONValue {
        var object: [String: JSONValue] = [
            "quality_filters": .bool(qualityFilters), "exact_dedup": .bool(exactDedup), "decontaminate": .bool(decontaminate),
            "pii": .bool(pii), "pii_in_code": .bool(piiInCode), "shard_bytes": .int(shardBytes),
            "language_id_sample_bytes": .int(languageIDSampleBytes),
        ]
        if let near = nearDedup { object["near_dedup"] = .object(["hamming": .int(near.hamming), "blocks": .int(near.blocks), "shingle": .int(near.shingle)]) }
        // Absent when off, so a run without the filter records the same manifest as before it existed.
        if qualityFilters, let p = perplexity { object["perplexity"] = p.fingerprint }
        if let template = templateLines { object["template_lines"] = .object(["min_length": .int(template.minLength), "min_count": .int(template.minCount)]) }
        return .object(object)
    }
}
