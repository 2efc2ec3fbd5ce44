import CanonicalJSON
import FileIO
import Foundation

/// Debian package descriptions (English) and their DDTP translations.
///
/// - Training documents: one per description (synopsis + long description), in a stable hashed order
///   until the per-language byte cap.
/// - Held out by `Description-md5` (the same package in every language):
///   `summarization/ddtp.<l>` (long description → synopsis), `mc/ddtp-synopsis.<l>` (pick the right
///   synopsis among four), and `parallel/en-<l>` (synopsis and paragraphs, when paragraph counts match).
struct DDTPExtractor {
    var source: SourceSpec
    var selection: Selection
    var translations: CachedTranslations
    var license: String

    func run(into sink: ExtractionSink, isCancelled: () -> Bool, log: (String) -> Void) throws {
        let sections = translations.sections.flatMap { FileContents.read($0) }.map(PackageSections.parse(tsv:))
        var english: [String: DDTPIndex.Entry] = [:]
        let ordered = source.locales.sorted { a, b in (a == "en") != (b == "en") ? a == "en" : a < b }
        var pairCounts: [String: Int] = [:]
        for locale in ordered {
            if isCancelled() { throw CorpusError.cancelled }
            guard let language = LanguageTable.normalize(locale) else {
                throw CorpusError.unknownLanguage(code: locale, context: "source '\(source.name)'")
            }
            let path = translations.path(locale)
            guard let data = FileContents.read(path) else {
                throw CorpusError.missingSource(name: source.name, detail: "no \(path)")
            }
            let entries = DDTPIndex.parse(bytes: data)
            if locale == "en" { for entry in entries { english[entry.md5] = entry } }
            let package = "apt:Translation-\(locale)"
            let version = translations.dates[locale] ?? translations.date
            var heldOut: [DDTPIndex.Entry] = []
            var training: [(UInt64, DDTPIndex.Entry)] = []
            for entry in entries {
                if FileListing.isHeldOut("ddtp/" + entry.md5, percent: selection.heldOutPercent) { heldOut.append(entry) } else {
                    training.append((stableHash(source.name + entry.md5), entry))
                }
            }
            training.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.md5 < $1.1.md5 }
            let cap = source.maxBytesPerLanguage ?? Int.max
            for (_, entry) in training {
                if sink.writtenBytes(source.name, language) >= cap { break }
                try sink.add(Document(id: "\(source.name)/\(locale)/\(entry.package)/\(entry.md5)", text: entry.text, language: language,
                                      source: source.name, kind: .text, package: package, version: version, license: license))
            }
            addEvaluation(heldOut, locale: locale, language: language, english: english, package: package, version: version,
                          pairCounts: &pairCounts, sink: sink)
            if let sections { addClassification(heldOut, locale: locale, language: language, sections: sections, package: package, version: version, sink: sink) }
            log("\(source.name) \(locale): \(entries.count) descriptions, \(sink.writtenBytes(source.name, language) / 1000) kB text, \(heldOut.count) held out")
        }
    }

    private func addEvaluation(_ heldOut: [DDTPIndex.Entry], locale: String, language: String, english: [String: DDTPIndex.Entry],
                               package: String, version: String, pairCounts: inout [String: Int], sink: ExtractionSink) {
        let cap = selection.evalItemsPerLanguage
        let provenance: [String: JSONValue] = ["source": .string(source.name), "package": .string(package),
                                              "version": .string(version), "license": .string(license)]
        // Summarization: long description → synopsis.
        var summaries: [DDTPIndex.Entry] = []
        var seenBodies = Set<String>()
        for entry in heldOut where summaries.count < cap {
            let body = entry.body
            guard body.count >= 200, (10...100).contains(entry.synopsis.count), seenBodies.insert(body).inserted else { continue }
            summaries.append(entry)
            var item = provenance
            item["id"] = .string("\(source.name)/\(locale)/\(entry.md5)")
            item["text"] = .string(body)
            item["summary"] = .string(entry.synopsis)
            sink.addEval(file: "summarization/ddtp.\(language)", header: ["task": .string("summarization"), "lang": .string(language)], item: .object(item))
        }
        // Multiple choice: the right synopsis among four; distractors are other held-out synopses.
        if summaries.count >= 4 {
            for (index, entry) in summaries.enumerated() {
                // Three distractors from a hashed starting point, skipping the item itself.
                let offset = Int(stableHash("distractors" + entry.md5) % UInt64(summaries.count - 1))
                var choices: [String] = []
                var k = 0
                while choices.count < 3 {
                    let other = (index + 1 + offset + k) % summaries.count
                    if other != index { choices.append(summaries[other].synopsis) }
                    k += 1
                }
                let answer = Int(stableHash("answer" + entry.md5) % 4)
                choices.insert(entry.synopsis, at: answer)
                var item = provenance
                item["id"] = .string("\(source.name)/\(locale)/\(entry.md5)")
                item["question"] = .string(entry.body)
                item["choices"] = .array(choices.map { .string($0) })
                item["answer"] = .int(answer)
                sink.addEval(file: "mc/ddtp-synopsis.\(language)", header: ["task": .string("multiple-choice"), "lang": .string(language)], item: .object(item))
            }
        }
        // Parallel: synopsis and paragraphs against the English original.
        guard locale != "en" else { return }
        let file = "parallel/en-\(language)"
        for entry in heldOut {
            guard let original = english[entry.md5], original.paragraphs.count == entry.paragraphs.count else { continue }
            let segments = [(original.synopsis, entry.synopsis)] + Array(zip(original.paragraphs, entry.paragraphs))
            for (index, (en, translated)) in segments.enumerated() {
                let countKey = file + "|" + source.name
                guard pairCounts[countKey, default: 0] < cap else { return }
                guard ParallelPairFilter.accept(source: en, target: translated, language: language) else { continue }
                pairCounts[countKey, default: 0] += 1
                var item = provenance
                item["id"] = .string("\(source.name)/\(locale)/\(entry.md5)#\(index)")
                item["src"] = .string(en)
                item["tgt"] = .string(translated)
                sink.addEval(file: file, header: ["task": .string("parallel"), "pair": .string("en-\(language)")], item: .object(item))
            }
        }
    }

    /// Topic classification: a held-out description → its package's Debian section (one of
    /// `PackageSections.classes`), at most `cap` per class so that no class dominates.
    private func addClassification(_ heldOut: [DDTPIndex.Entry], locale: String, language: String, sections: PackageSections,
                                   package: String, version: String, sink: ExtractionSink) {
        let perClass = max(1, selection.evalItemsPerLanguage / PackageSections.classes.count)
        var counts: [String: Int] = [:]
        for entry in heldOut.sorted(by: { stableHash("section" + $0.md5) < stableHash("section" + $1.md5) }) {
            guard let section = sections.sectionByDescription[entry.md5], PackageSections.classes.contains(section),
                  counts[section, default: 0] < perClass, entry.body.count >= 40 else { continue }
            counts[section, default: 0] += 1
            let item: [String: JSONValue] = ["id": .string("\(source.name)/\(locale)/\(entry.md5)"), "text": .string(entry.text),
                                             "section": .string(section), "source": .string(source.name), "package": .string(package),
                                             "version": .string(version), "license": .string(license)]
            sink.addEval(file: "classification/ddtp-section.\(language)", header: ["task": .string("classification"), "lang": .string(language),
                                                                                   "classes": .array(PackageSections.classes.map { .string($0) })],
                         item: .object(item))
        }
    }
}
