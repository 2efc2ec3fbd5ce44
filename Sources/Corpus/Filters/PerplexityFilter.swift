import ParallelLoops
import CanonicalJSON
import Foundation

/// Settings of the perplexity filter (ROOTS filter 8).
public struct PerplexitySettings: Sendable, Equatable {
    /// A document is removed when its perplexity exceeds this percentile (0…100) of the perplexities of
    /// its language's calibration documents (as CCNet, which cut its head/middle/tail at percentiles of
    /// each language's own perplexity distribution).
    public var percentile: Double = 98
    /// Sources whose documents (those passing every other filter) are the model's training text: the
    /// translated documentation, the most carefully written text in the selections.
    public var referenceSources: [String] = ["libreoffice-help", "debian-handbook", "gnome-user-docs"]
    /// Reference text taken per language (UTF-8 bytes of document text, in input order).
    public var referenceBytesPerLanguage: Int = 400_000
    /// Calibration: one document in `calibrationEvery` (by a stable hash of its id, from every source,
    /// never a training document), at most `calibrationDocumentsPerLanguage` per language.
    public var calibrationEvery: Int = 48
    public var calibrationDocumentsPerLanguage: Int = 2000
    /// Languages with fewer calibration documents than this get no model (and are not filtered).
    public var minimumCalibrationDocuments: Int = 10

    public init(percentile: Double = 98, referenceSources: [String]? = nil, referenceBytesPerLanguage: Int = 400_000) {
        self.percentile = percentile
        if let referenceSources { self.referenceSources = referenceSources }
        self.referenceBytesPerLanguage = referenceBytesPerLanguage
    }

    var fingerprint: JSONValue {
        .object(["percentile": .double(percentile), "reference_sources": .array(referenceSources.map { .string($0) }),
                 "reference_bytes_per_language": .int(referenceBytesPerLanguage),
                 "calibration_every": .int(calibrationEvery), "calibration_documents_per_language": .int(calibrationDocumentsPerLanguage),
                 "minimum_calibration_documents": .int(minimumCalibrationDocuments)])
    }
}

/// The perplexity filter: one `NGramLanguageModel` per language, trained on reference documents of the
/// run's own input (ROOTS used KenLM models trained on Wikipedia, which this project does not have), and
/// a threshold per language at a percentile of the perplexities of a calibration sample of that
/// language's documents (the reference's thresholds belong to its models and do not transfer).
public struct PerplexityFilter: Sendable {
    public struct LanguageModel: Sendable {
        public var model: NGramLanguageModel
        public var threshold: Double
        public var trainingDocuments: Int
        public var calibrationDocuments: Int
        /// Median perplexity of the calibration documents (all sources).
        public var median: Double
    }

    public var models: [String: LanguageModel]
    /// Languages with reference candidates but too little reference to build a model.
    public var skipped: [String: String]

    /// Candidates collected during the scan, per language in input order: training documents from the
    /// reference sources (up to the byte cap) and the calibration sample (raw record lines).
    struct Candidates {
        /// A candidate's record line, its position in the input (0-based over all record lines, the
        /// processing pass's numbering) and its source (the file's when the record names none).
        struct Entry { var line: [UInt8]; var ordinal: Int; var source: String }
        var training: [String: [Entry]] = [:]
        var calibration: [String: [Entry]] = [:]
        var bytes: [String: Int] = [:]

        mutating func offer(_ line: [UInt8], ordinal: Int, id: String, language: String, source: String, textBytes: Int, settings: PerplexitySettings) {
            let entry = Entry(line: line, ordinal: ordinal, source: source)
            if stableHash("perplexity-calibration|" + id) % UInt64(max(1, settings.calibrationEvery)) == 0 {
                if calibration[language, default: []].count < settings.calibrationDocumentsPerLanguage { calibration[language, default: []].append(entry) }
            } else if settings.referenceSources.contains(source), bytes[language, default: 0] < settings.referenceBytesPerLanguage {
                training[language, default: []].append(entry)
                bytes[language, default: 0] += textBytes
            }
        }
    }

    /// A candidate processed during the build with every filter but this one (the last filter), kept so
    /// the processing pass only applies the perplexity check to it instead of processing it again.
    struct Preprocessed {
        var result: ProcessedDocument
        /// The perplexity tokens and line ends (empty unless the document passed the other filters).
        var words: [UInt64] = []
        var lineEnds: [Int] = []

        /// The processing pass's result for this document, given the finished filter.
        func resolved(by filter: PerplexityFilter?) -> ProcessedDocument {
            var document = result
            guard case .candidate = document.outcome else { return document }
            let excerpt = document.excerpt
            document.excerpt = ""
            guard let model = filter?.models[document.language] else { return document }
            let value = model.model.perplexity(words: words, lineEnds: lineEnds)
            guard value > model.threshold else { return document }
            document.outcome = .removed(FilterVerdict(reason: .perplexity, value: value, threshold: model.threshold))
            document.excerpt = excerpt
            document.redactions = PIICounts()
            return document
        }
    }

    /// Runs the other filters over the candidates, trains one model per language (languages in
    /// parallel) and sets each threshold. Deterministic: inputs are in input order and the split is by id.
    /// Also returns every candidate's processing result by input ordinal (see ``Preprocessed``).
    static func build(_ candidates: Candidates, context: ProcessingContext, settings: PerplexitySettings,
                      workers: Int) -> (filter: PerplexityFilter, preprocessed: [Int: Preprocessed]) {
        let languages = candidates.training.keys.sorted()
        let shingle = context.configuration.nearDedup?.shingle ?? 6
        let built: [(String, LanguageModel?, String, [(Int, Preprocessed)])] = ParallelLoop.map(languages, workers: workers, block: 1) { language in
            let worker = DocumentWorker(shingle: shingle)
            var preprocessed: [(Int, Preprocessed)] = []
            /// Processes a candidate (context without perplexity) and returns its tokens if it passed.
            func tokens(_ entry: Candidates.Entry) -> (words: [UInt64], lineEnds: [Int])? {
                let processed = worker.preprocess(entry.line, fallbackSource: entry.source, context: context)
                preprocessed.append((entry.ordinal, processed))
                guard case .candidate = processed.result.outcome, processed.result.language == language else { return nil }
                return (processed.words, processed.lineEnds)
            }
            var counts = NGramCounts()
            var trainingDocuments = 0
            for entry in candidates.training[language]! {
                guard let document = tokens(entry) else { continue }
                var start = 0
                document.words.withUnsafeBufferPointer { w in
                    for end in document.lineEnds { counts.add(UnsafeBufferPointer(rebasing: w[start..<end])); start = end }
                }
                trainingDocuments += 1
            }
            let model = counts.build()
            var values: [Double] = []
            for entry in candidates.calibration[language] ?? [] {
                guard let document = tokens(entry) else { continue }
                values.append(model.perplexity(words: document.words, lineEnds: document.lineEnds))
            }
            guard values.count >= settings.minimumCalibrationDocuments, trainingDocuments > 0 else {
                return (language, nil, "\(trainingDocuments) training and \(values.count) calibration documents (need \(settings.minimumCalibrationDocuments))", preprocessed)
            }
            values.sort()
            let rank = min(values.count - 1, max(0, Int((settings.percentile / 100 * Double(values.count)).rounded(.up)) - 1))
            return (language, LanguageModel(model: model, threshold: values[rank], trainingDocuments: trainingDocuments,
                                            calibrationDocuments: values.count, median: values[(values.count - 1) / 2]), "", preprocessed)
        }
        var filter = PerplexityFilter(models: [:], skipped: [:])
        var preprocessed: [Int: Preprocessed] = [:]
        for (language, model, reason, documents) in built {
            if let model { filter.models[language] = model } else { filter.skipped[language] = reason }
            for (ordinal, document) in documents { preprocessed[ordinal] = document }
        }
        return (filter, preprocessed)
    }

    /// For stats.json.
    var json: JSONValue {
        .object([
            "models": .object(models.mapValues { m in
                .object(["threshold": .double(m.threshold), "median": .double(m.median), "training_documents": .int(m.trainingDocuments),
                         "training_tokens": .int(m.model.trainingTokens), "vocabulary": .int(m.model.vocabulary),
                         "calibration_documents": .int(m.calibrationDocuments)])
            }),
            "skipped": .object(skipped.mapValues { .string($0) }),
        ])
    }
}
