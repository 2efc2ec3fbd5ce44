/// The per-document work of the processing pass, done in parallel: parse, validate, clean, filter,
/// fingerprint, redact and encode. Decisions that depend on other documents (dedup) are left to the
/// sequential step, which sees results in input order.
struct ProcessedDocument {
    enum Outcome {
        /// Dropped here (bad input or a quality filter).
        case removed(FilterVerdict)
        /// Passed the filters: dedup keys and the encoded output line.
        case candidate(digest: Digest128, simhash: UInt64, line: [UInt8], outputBytes: Int)
    }
    var id: String
    var language: String
    var source: String
    var kind: DocumentKind
    var inputBytes: Int
    var outcome: Outcome
    var lineEdits = TextCleaner.LineEdits()
    var redactions = PIICounts()
    /// A short excerpt for report samples (only for removed documents).
    var excerpt = ""
}

/// Read-only state shared by all workers during the processing pass.
struct ProcessingContext {
    var configuration: CorpusConfiguration
    var templateCounts: KeyCounter.View?
    var evalLines: Set<UInt64>?
    var languageID: LanguageIdentifier?
    /// Per-language perplexity models and thresholds (nil: filter off, or still building the reference).
    var perplexity: PerplexityFilter?
}

/// One worker's scratch buffers; never shared between threads.
final class DocumentWorker {
    var analyzer = TextAnalyzer()
    var simhasher: SimHasher
    var scalars: [UInt32] = []
    var withoutLines: [UInt32] = []
    var normalized: [UInt32] = []
    var redacted: [UInt32] = []
    var digestBuffer: [UInt8] = []

    init(shingle: Int) { simhasher = SimHasher(shingle: shingle) }
    deinit { analyzer.release() }

    func process(_ line: [UInt8], fallbackSource: String, context: ProcessingContext) -> ProcessedDocument {
        let config = context.configuration
        guard let record = RawRecord.parse(line) else {
            return ProcessedDocument(id: "", language: "", source: fallbackSource, kind: .text, inputBytes: line.count,
                                     outcome: .removed(FilterVerdict(reason: .malformedRecord, value: 0, threshold: 0)))
        }
        var result = ProcessedDocument(id: record.id, language: record.language, source: record.source.isEmpty ? fallbackSource : record.source,
                                       kind: record.kind, inputBytes: record.text.count,
                                       outcome: .removed(FilterVerdict(reason: .empty, value: 0, threshold: 0)))
        let valid = record.text.withUnsafeBufferPointer { UTF8Codec.decode($0, into: &scalars) }
        guard valid else {
            result.outcome = .removed(FilterVerdict(reason: .invalidUTF8, value: 0, threshold: 0))
            return result
        }
        let isText = record.kind == .text
        if isText, LanguageTable.known[record.language] == nil {
            result.outcome = .removed(FilterVerdict(reason: .unknownLanguage, value: 0, threshold: 0))
            return result
        }

        // Line removal, normalization and the quality filters (text only).
        var current = scalars
        if isText {
            guard let kept = filterText(record, result: &result, context: context) else { return result }
            current = kept
        } else if !scalars.contains(where: { !ScalarTables.classOf($0).contains(.whitespace) }) {
            return result
        }

        // Dedup keys, redaction, output line.
        let digest = ExactDigest.digest(current, buffer: &digestBuffer)
        let simhash = config.nearDedup == nil ? 0 : simhasher.fingerprint(current)
        var output = current
        if config.pii && (isText || config.piiInCode) {
            if PIIRedactor.redact(current, into: &redacted, counts: &result.redactions) { output = redacted }
        }
        let textBytes = UTF8Codec.byteCount(output)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(textBytes + textBytes / 8 + 512)  // escapes (\n, \t, \") rarely add more
        encoded.append(0x7B)
        FlatJSON.appendKey("id", first: true, to: &encoded); FlatJSON.appendString(record.id, to: &encoded)
        FlatJSON.appendKey("kind", first: false, to: &encoded); FlatJSON.appendString(record.kind.rawValue, to: &encoded)
        FlatJSON.appendKey("lang", first: false, to: &encoded); FlatJSON.appendString(record.language, to: &encoded)
        FlatJSON.appendKey("license", first: false, to: &encoded); FlatJSON.appendString(record.license, to: &encoded)
        FlatJSON.appendKey("package", first: false, to: &encoded); FlatJSON.appendString(record.package, to: &encoded)
        FlatJSON.appendKey("source", first: false, to: &encoded); FlatJSON.appendString(result.source, to: &encoded)
        FlatJSON.appendKey("text", first: false, to: &encoded)
        FlatJSON.appendString(scalars: output[...], to: &encoded)
        FlatJSON.appendKey("version", first: false, to: &encoded); FlatJSON.appendString(record.version, to: &encoded)
        encoded.append(0x7D)
        result.outcome = .candidate(digest: digest, simhash: simhash, line: encoded, outputBytes: textBytes)
        return result
    }

    /// Template/eval line removal, the pre-filter normalization and the quality filters for a text
    /// document already decoded into `scalars`. Returns the text to keep, or nil with `result` saying why
    /// it was removed. When the quality filters ran and passed, `analyzer` holds the document.
    private func filterText(_ record: RawRecord, result: inout ProcessedDocument, context: ProcessingContext) -> [UInt32]? {
        let config = context.configuration
        let template = config.templateLines
        result.lineEdits = TextCleaner.removeLines(scalars, into: &withoutLines, templateCounts: context.templateCounts,
                                                   templateSalt: LineKey.salt(source: result.source, language: record.language),
                                                   minLength: template?.minLength ?? Int.max, minCount: UInt32(clamping: template?.minCount ?? Int.max),
                                                   evalLines: context.evalLines)
        let parameters = QualityParameters.forLanguage(record.language)
        var current = withoutLines
        if config.qualityFilters {
            TextCleaner.normalize(withoutLines, into: &normalized, parameters: parameters)
            current = normalized
        }
        if current.isEmpty { result.excerpt = excerpt(scalars); return nil }
        if config.qualityFilters {
            analyzer.load(current, unsegmented: LanguageTable.isUnsegmented(record.language))
            if let verdict = QualityFilter.evaluate(&analyzer, language: record.language, parameters: parameters,
                                                    languageID: context.languageID, perplexity: context.perplexity) {
                result.outcome = .removed(verdict)
                result.excerpt = excerpt(current)
                return nil
            }
        }
        return current
    }

    /// For the perplexity build (`context.perplexity` must be nil): the document's full processing
    /// result and, when it passed every filter, its perplexity tokens and an excerpt (in the result) in
    /// case the perplexity filter removes it later.
    func preprocess(_ line: [UInt8], fallbackSource: String, context: ProcessingContext) -> PerplexityFilter.Preprocessed {
        var processed = PerplexityFilter.Preprocessed(result: process(line, fallbackSource: fallbackSource, context: context))
        guard case .candidate = processed.result.outcome, processed.result.kind == .text, context.configuration.qualityFilters else { return processed }
        // `analyzer` still holds the filtered text (the quality filters were its last user).
        analyzer.preparePerplexityTokens()
        processed.words = analyzer.perplexityWords
        processed.lineEnds = analyzer.perplexityLineEnds
        processed.result.excerpt = excerpt(analyzer.text)
        return processed
    }

    private func excerpt(_ text: [UInt32]) -> String {
        let head = text.prefix(240).map { $0 == 0x0A ? 0x20 : $0 }
        return UTF8Codec.string(head[...]) + (text.count > 240 ? "…" : "")
    }
}

extension UTF8Codec {
    /// UTF-8 length of scalar values.
    static func byteCount(_ scalars: [UInt32]) -> Int {
        var n = 0
        for v in scalars { n += v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4 }
        return n
    }
}
