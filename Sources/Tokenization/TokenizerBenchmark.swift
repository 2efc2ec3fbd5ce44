import FileIO
import Foundation

/// Times training and encoding on a text file, for `tokenizer-bench` and
/// `trellis bench tokenizer`.
///
/// Training reads the file line by line (like HF's `Tokenizer.train(files)`); encoding
/// encodes every line (without its `\n`) as one input with ``Tokenizer/encodeBatch(_:workers:)-([String])``,
/// like HF's `encode_batch(lines, add_special_tokens=False)`. Each phase runs `runs` times
/// and reports every time and the median.
public enum TokenizerBenchmark {
    /// Every measured time, in seconds, and what was measured.
    public struct Report: Codable, Sendable {
        /// Size of the corpus file.
        public var corpusBytes: Int
        /// Lines encoded (one input each).
        public var lines: Int
        /// Target vocabulary of the training runs.
        public var vocabularySize: Int
        /// Threads used for counting and encoding.
        public var workers: Int
        /// Wall time of each training run (read + count + merge).
        public var trainingSeconds: [Double]
        /// The two phases of each training run: reading + counting pieces, learning merges.
        public var countingSeconds: [Double]
        public var mergingSeconds: [Double]
        /// Wall time of each batch encoding of all lines (ids only).
        public var encodingSeconds: [Double]
        /// Encoding with byte offsets as well (``Tokenizer/encodeBatchWithOffsets(_:workers:)``).
        public var encodingWithOffsetsSeconds: [Double]
        /// Tokens produced by one encoding of the corpus.
        public var tokens: Int
        /// Median of ``trainingSeconds``.
        public var medianTrainingSeconds: Double { median(trainingSeconds) }
        /// Median of ``encodingSeconds``.
        public var medianEncodingSeconds: Double { median(encodingSeconds) }
        /// Corpus megabytes (10⁶ bytes) encoded per second, at the median.
        public var encodingMegabytesPerSecond: Double { Double(corpusBytes) / 1e6 / medianEncodingSeconds }

        /// One line for logs.
        public var summary: String {
            String(format: "corpus %.1f MB, %d lines, vocab %d, %d workers: train median %.2f s %@; "
                + "encode median %.2f s (%.1f MB/s) %@; encode+offsets median %.2f s; %d tokens",
                   Double(corpusBytes) / 1e6, lines, vocabularySize, workers, medianTrainingSeconds,
                   trainingSeconds.map { String(format: "%.2f", $0) }.description, medianEncodingSeconds,
                   encodingMegabytesPerSecond, encodingSeconds.map { String(format: "%.2f", $0) }.description,
                   median(encodingWithOffsetsSeconds), tokens)
        }
    }

    /// Runs the benchmark; returns the report and the tokenizer of the last training run.
    public static func run(corpus path: String, vocabularySize: Int = 8192, runs: Int = 3,
                           workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                           log: (String) -> Void = { _ in }) throws -> (report: Report, tokenizer: Tokenizer) {
        var options = BPETrainerConfiguration(vocabularySize: vocabularySize)
        options.workers = workers
        var trainTimes: [Double] = [], countTimes: [Double] = [], mergeTimes: [Double] = []
        var tokenizer: Tokenizer?
        for run in 1...max(1, runs) {
            let start = DispatchTime.now()
            let outcome = try BPETrainer(options).train(files: [path])
            trainTimes.append(seconds(since: start))
            tokenizer = outcome.tokenizer
            countTimes.append(outcome.statistics.countingSeconds)
            mergeTimes.append(outcome.statistics.mergingSeconds)
            log(String(format: "train run %d: %.3f s (counting %.3f s, merging %.3f s)", run, trainTimes.last!,
                       countTimes.last!, mergeTimes.last!))
        }
        let bytes: [UInt8]
        do { bytes = try FileContents.bytes(path) } catch {
            throw TokenizerError.io(path: path, message: "\(error)")
        }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if lines.last == "" { lines.removeLast() }
        let lineBytes = lines.map { Array($0.utf8) }
        var encodeTimes: [Double] = [], offsetTimes: [Double] = []
        var tokens = 0
        for run in 1...max(1, runs) {
            // A fresh tokenizer each run so the word caches start cold, as in a new process.
            let fresh = Tokenizer(model: tokenizer!.model, addedTokens: tokenizer!.addedTokens)
            let start = DispatchTime.now()
            let ids = fresh.encodeBatch(lines, workers: workers)
            encodeTimes.append(seconds(since: start))
            tokens = ids.reduce(0) { $0 + $1.count }
            let withOffsets = Tokenizer(model: tokenizer!.model, addedTokens: tokenizer!.addedTokens)
            let offsetStart = DispatchTime.now()
            _ = withOffsets.encodeBatchWithOffsets(lineBytes, workers: workers)
            offsetTimes.append(seconds(since: offsetStart))
            log(String(format: "encode run %d: %.3f s (with offsets %.3f s)", run, encodeTimes.last!, offsetTimes.last!))
        }
        let report = Report(corpusBytes: bytes.count, lines: lines.count, vocabularySize: vocabularySize, workers: workers,
                            trainingSeconds: trainTimes, countingSeconds: countTimes, mergingSeconds: mergeTimes,
                            encodingSeconds: encodeTimes,
                            encodingWithOffsetsSeconds: offsetTimes, tokens: tokens)
        return (report, tokenizer!)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
