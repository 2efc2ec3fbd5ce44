import Foundation

/// Options for ``BPETrainer``. The defaults are BLOOM's tokenizer design at a small size.
public struct BPETrainerConfiguration: Sendable, Codable, Equatable {
    /// Target vocabulary size, counting everything as HF's trainer does: special and
    /// reserved tokens, the 256 byte pieces, and one token per merge.
    public var vocabularySize: Int = 8192
    /// Special tokens, given ids 0, 1, … in this order. BLOOM: `<unk> <s> </s> <pad>`.
    public var specialTokens: [String] = SpecialTokens.bloom
    /// Extra `<reserved_N>` tokens, placed right after the special tokens.
    public var reservedTokens: Int = 0
    /// Count each distinct line once (compared without its `\n`); the first copy is kept.
    public var deduplicateLines: Bool = false
    /// Pairs seen fewer times than this are never merged (HF `min_frequency`; 0 = off).
    public var minFrequency: Int = 0
    /// Threads used to count pieces.
    public var workers: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Bytes read per batch; memory use is about this much plus the distinct pieces.
    public var chunkSize: Int = 8 << 20
    /// Bound on distinct pieces kept in memory. Past it the rarest are dropped (counts
    /// ≤ k for the smallest k that halves the table), which is where the result may
    /// start to differ from HF's. `nil` = unbounded.
    public var maxDistinctWords: Int? = 20_000_000

    public init(vocabularySize: Int = 8192, reservedTokens: Int = 0, deduplicateLines: Bool = false) {
        self.vocabularySize = vocabularySize
        self.reservedTokens = reservedTokens
        self.deduplicateLines = deduplicateLines
    }

    /// Special tokens followed by the reserved ones, in id order.
    public var allSpecialTokens: [String] { specialTokens + SpecialTokens.reserved(reservedTokens) }

    /// Throws ``TokenizerError/invalidConfiguration(field:problem:)`` naming the first bad option.
    public func validate() throws {
        let minimum = allSpecialTokens.count + 256
        func fail(_ field: String, _ problem: String) -> TokenizerError {
            .invalidConfiguration(field: field, problem: problem)
        }
        if vocabularySize < minimum {
            throw fail("vocabularySize", "\(vocabularySize) is below \(minimum) (special and reserved tokens + 256 bytes)")
        }
        if reservedTokens < 0 { throw fail("reservedTokens", "must be ≥ 0, got \(reservedTokens)") }
        if minFrequency < 0 { throw fail("minFrequency", "must be ≥ 0, got \(minFrequency)") }
        if workers < 1 { throw fail("workers", "must be ≥ 1, got \(workers)") }
        if chunkSize < 1024 { throw fail("chunkSize", "must be ≥ 1024 bytes, got \(chunkSize)") }
        if let limit = maxDistinctWords, limit < 2 { throw fail("maxDistinctWords", "must be ≥ 2, got \(limit)") }
        if let empty = allSpecialTokens.firstIndex(of: "") { throw fail("specialTokens[\(empty)]", "is empty") }
        if Set(allSpecialTokens).count != allSpecialTokens.count {
            throw fail("specialTokens", "contains duplicates")
        }
    }
}

/// What a long training run reports while it works.
public enum TrainingProgress: Sendable, Equatable {
    /// Pre-tokenizing and counting: bytes read so far out of the total (0 when unknown).
    case counting(bytesRead: Int, totalBytes: Int)
    /// Counting finished.
    case counted(distinctPieces: Int, sequences: Int, keptSequences: Int)
    /// Learning merges: merges done out of the most possible.
    case merging(done: Int, total: Int)
}

/// Statistics of one training run (for `metrics.json`).
public struct TrainingStatistics: Sendable, Codable, Equatable {
    /// Tokens in the trained vocabulary (may be below the target on little text).
    public var vocabularySize: Int
    /// Merges learned.
    public var merges: Int
    /// Distinct pre-tokenized pieces counted.
    public var distinctPieces: Int
    /// Sequences (lines, for files) read.
    public var sequences: Int
    /// Sequences left after line de-duplication.
    public var keptSequences: Int
    /// Bytes of training text read.
    public var bytesRead: Int
    /// Time spent reading, pre-tokenizing and counting.
    public var countingSeconds: Double
    /// Time spent learning merges.
    public var mergingSeconds: Double
    /// Total training time.
    public var trainingSeconds: Double { countingSeconds + mergingSeconds }
}

/// A trained tokenizer and how the training went.
public struct TrainingOutcome: Sendable {
    /// The trained tokenizer.
    public var tokenizer: Tokenizer
    /// Counts and timings of the run.
    public var statistics: TrainingStatistics
}

/// Trains a BLOOM-style byte-level BPE tokenizer: streams the text, counts pre-tokenized
/// pieces on all cores, then learns merges exactly as HF's `BpeTrainer` (see
/// ``MergeLearner``). Same text and options ⇒ same merges, on any machine and core count.
///
/// ```swift
/// var options = BPETrainerConfiguration(vocabularySize: 8192, deduplicateLines: true)
/// let outcome = try BPETrainer(options).train(files: ["corpus.txt"]) { print($0) }
/// try outcome.tokenizer.write(to: URL(fileURLWithPath: "tokenizer.json"))
/// ```
public struct BPETrainer: Sendable {
    /// The options used by ``train(files:progress:isCancelled:)``.
    public var configuration: BPETrainerConfiguration

    /// A trainer with the given options.
    public init(_ configuration: BPETrainerConfiguration = BPETrainerConfiguration()) {
        self.configuration = configuration
    }

    /// Trains on files read line by line (each line keeps its `\n`, like HF's
    /// `Tokenizer.train(files)`), in `chunkSize` batches.
    ///
    /// - Parameters:
    ///   - progress: called after each batch and every 256 merges.
    ///   - isCancelled: polled after each batch and every 64 merges; when it returns true the
    ///     run stops with ``TokenizerError/cancelled``.
    public func train(files: [String], progress: (@Sendable (TrainingProgress) -> Void)? = nil,
                      isCancelled: (@Sendable () -> Bool)? = nil) throws -> TrainingOutcome {
        try configuration.validate()
        var totalBytes = 0
        for path in files {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            guard let size = attributes?[.size] as? NSNumber else {
                throw TokenizerError.io(path: path, message: "cannot read file")
            }
            totalBytes += size.intValue
        }
        let counter = makeCounter()
        let start = Date()
        var bytesRead = 0
        for path in files {
            try LineChunkReader.read(path: path, chunkSize: configuration.chunkSize) { chunk in
                counter.addLines(chunk)
                bytesRead += chunk.count
                progress?(.counting(bytesRead: bytesRead, totalBytes: totalBytes))
                if let isCancelled, isCancelled() { throw TokenizerError.cancelled }
            }
        }
        return try finish(counter, bytesRead: bytesRead, countingStart: start, progress: progress, isCancelled: isCancelled)
    }

    /// Trains on in-memory sequences, each one pre-tokenized as a whole (like HF's
    /// `train_from_iterator`); pass lines to get file-like behaviour.
    public func train(texts: [String], progress: (@Sendable (TrainingProgress) -> Void)? = nil,
                      isCancelled: (@Sendable () -> Bool)? = nil) throws -> TrainingOutcome {
        try configuration.validate()
        let counter = makeCounter()
        let start = Date()
        var bytesRead = 0
        var index = 0
        while index < texts.count {
            // Batch about chunkSize bytes of texts into one buffer.
            var buffer: [UInt8] = []
            var ranges: [Range<Int>] = []
            while index < texts.count && (buffer.count < configuration.chunkSize || ranges.isEmpty) {
                let begin = buffer.count
                buffer.append(contentsOf: texts[index].utf8)
                ranges.append(begin..<buffer.count)
                index += 1
            }
            buffer.withUnsafeBufferPointer { counter.addSequences($0, ranges: ranges) }
            bytesRead += buffer.count
            progress?(.counting(bytesRead: bytesRead, totalBytes: 0))
            if let isCancelled, isCancelled() { throw TokenizerError.cancelled }
        }
        return try finish(counter, bytesRead: bytesRead, countingStart: start, progress: progress, isCancelled: isCancelled)
    }

    private func makeCounter() -> WordCounter {
        WordCounter(workers: configuration.workers, deduplicateLines: configuration.deduplicateLines,
                    maxDistinctWords: configuration.maxDistinctWords)
    }

    private func finish(_ counter: WordCounter, bytesRead: Int, countingStart: Date,
                        progress: (@Sendable (TrainingProgress) -> Void)?,
                        isCancelled: (@Sendable () -> Bool)?) throws -> TrainingOutcome {
        guard counter.sequencesSeen > 0 else { throw TokenizerError.emptyTrainingData }
        let counts = counter.finish()
        let countingSeconds = Date().timeIntervalSince(countingStart)
        progress?(.counted(distinctPieces: counts.count, sequences: counter.sequencesSeen,
                           keptSequences: counter.sequencesKept))
        let mergeStart = Date()
        var learner = MergeLearner(vocabularySize: configuration.vocabularySize,
                                   specialTokens: configuration.allSpecialTokens,
                                   minFrequency: configuration.minFrequency)
        if let progress {
            learner.progress = { done, total in
                if done % 256 == 0 || done == total { progress(.merging(done: done, total: total)) }
            }
        }
        learner.isCancelled = isCancelled
        let learned = try learner.learn(from: counts)
        let model = BPEModel(tokens: learned.tokens, merges: learned.merges)
        let added = configuration.allSpecialTokens.map { special in
            AddedToken(id: TokenID(learned.tokens.firstIndex(of: special)!), content: special)
        }
        let statistics = TrainingStatistics(
            vocabularySize: learned.tokens.count, merges: learned.merges.count, distinctPieces: counts.count,
            sequences: counter.sequencesSeen, keptSequences: counter.sequencesKept, bytesRead: bytesRead,
            countingSeconds: countingSeconds, mergingSeconds: Date().timeIntervalSince(mergeStart))
        return TrainingOutcome(tokenizer: Tokenizer(model: model, addedTokens: added), statistics: statistics)
    }
}
