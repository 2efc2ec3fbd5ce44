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

    var fingerprint: JSONNode {
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
        var training: [String: [[UInt8]]] = [:]
        var calibration: [String: [[UInt8]]] = [:]
        var bytes: [String: Int] = [:]

        mutating func offer(_ line: [UInt8], id: String, language: String, source: String, textBytes: Int, settings: PerplexitySettings) {
            if stableHash("perplexity-calibration|" + id) % UInt64(max(1, settings.calibrationEvery)) == 0 {
                if calibration[language, default: []].count < settings.calibrationDocumentsPerLanguage { calibration[language, default: []].append(line) }
            } else if settings.referenceSources.contains(source), bytes[language, default: 0] < settings.referenceBytesPerLanguage {
                training[language, default: []].append(line)
                bytes[language, default: 0] += textBytes
            }
        }
    }

    /// Runs the other filters over the candidates, trains one model per language (languages in
    /// parallel) and sets each threshold. Deterministic: inputs are in input order and the split is by id.
    static func build(_ candidates: Candidates, context: ProcessingContext, settings: PerplexitySettings, workers: Int) -> PerplexityFilter {
        let languages = candidates.training.keys.sorted()
        let built: [(String, LanguageModel?, String)] = Parallel.map(languages, workers: workers, chunk: 1) { language in
            let worker = DocumentWorker(shingle: 6)
            var counts = NGramCounts()
            var trainingDocuments = 0
            for line in candidates.training[language]! {
                guard let document = worker.referenceTokens(line, context: context), document.language == language else { continue }
                var start = 0
                document.words.withUnsafeBufferPointer { w in
                    for end in document.lineEnds { counts.add(UnsafeBufferPointer(rebasing: w[start..<end])); start = end }
                }
                trainingDocuments += 1
            }
            let model = counts.build()
            var values: [Double] = []
            for line in candidates.calibration[language] ?? [] {
                guard let document = worker.referenceTokens(line, context: context), document.language == language else { continue }
                values.append(model.perplexity(words: document.words, lineEnds: document.lineEnds))
            }
            guard values.count >= settings.minimumCalibrationDocuments, trainingDocuments > 0 else {
                return (language, nil, "\(trainingDocuments) training and \(values.count) calibration documents (need \(settings.minimumCalibrationDocuments))")
            }
            values.sort()
            let rank = min(values.count - 1, max(0, Int((settings.percentile / 100 * Double(values.count)).rounded(.up)) - 1))
            return (language, LanguageModel(model: model, threshold: values[rank], trainingDocuments: trainingDocuments,
                                            calibrationDocuments: values.count, median: values[(values.count - 1) / 2]), "")
        }
        var filter = PerplexityFilter(models: [:], skipped: [:])
        for (language, model, reason) in built {
            if let model { filter.models[language] = model } else { filter.skipped[language] = reason }
        }
        return filter
    }

    /// For stats.json.
    var json: JSONNode {
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
