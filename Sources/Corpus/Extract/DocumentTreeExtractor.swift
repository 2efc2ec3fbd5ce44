import FileIO
import ParallelLoops
import Foundation

/// Extracts translated documentation trees (LibreOffice help, Publican HTML, Mallard) where every
/// locale has the same files with the same item structure.
///
/// - Training documents: one per file and locale; items identical to the reference (untranslated)
///   are dropped; files are taken in a stable hashed order until the per-language byte cap.
/// - Held out: files whose path hashes into the `heldOutPercent` bucket, in every locale at once, so no
///   translation of an evaluation segment leaks into training. Their items aligned with the
///   reference become parallel evaluation pairs `eval/parallel/en-<lang>`.
struct DocumentTreeExtractor {
    /// One locale's tree.
    struct Tree {
        var locale: String
        var directory: String
        var package: CachedPackage
        var license: String
    }

    var source: SourceSpec
    var selection: Selection
    var markup: MarkupItems
    var fileExtension: String
    var maxDepth: Int
    var reference: Tree?
    var trees: [Tree]
    var cores: Int

    func run(into sink: ExtractionSink, isCancelled: () -> Bool, log: (String) -> Void) throws {
        var referenceItems: [String: [String]] = [:]
        if let reference {
            let files = FileListing.files(under: reference.directory, extensions: [fileExtension], maxDepth: maxDepth)
            let parsed = ParallelLoop.map(files, workers: cores) { markup.items(read(reference.directory + "/" + $0)) }
            for (file, items) in zip(files, parsed) { referenceItems[file] = items }
        }
        var pairCounts: [String: Int] = [:]
        for tree in trees {
            if isCancelled() { throw CorpusError.cancelled }
            guard let language = LanguageTable.normalize(tree.locale) else {
                throw CorpusError.unknownLanguage(code: tree.locale, context: "source '\(source.name)'")
            }
            let isReference = tree.locale == reference?.locale
            let files = FileListing.files(under: tree.directory, extensions: [fileExtension], maxDepth: maxDepth)
            if files.isEmpty {
                throw CorpusError.missingSource(name: source.name, detail: "no \(fileExtension) files for locale \(tree.locale) in \(tree.directory)")
            }
            let heldOut = files.filter { FileListing.isHeldOut(source.name + "/" + $0, percent: selection.heldOutPercent) }
            let training = FileListing.spread(files.filter { !FileListing.isHeldOut(source.name + "/" + $0, percent: selection.heldOutPercent) }, salt: source.name)

            // Evaluation pairs from held-out files.
            if !isReference, reference != nil {
                let evalFile = "parallel/en-\(language)"
                let parsed = ParallelLoop.map(heldOut, workers: cores) { markup.items(read(tree.directory + "/" + $0)) }
                for (file, items) in zip(heldOut, parsed) {
                    guard let original = referenceItems[file], original.count == items.count else { continue }
                    for (index, (en, translated)) in zip(original, items).enumerated() {
                        let countKey = evalFile + "|" + source.name
                        guard pairCounts[countKey, default: 0] < selection.evalItemsPerLanguage else { break }
                        guard ParallelPairFilter.accept(source: en, target: translated, language: language) else { continue }
                        pairCounts[countKey, default: 0] += 1
                        sink.addEval(file: evalFile, header: ["task": .string("parallel"), "pair": .string("en-\(language)")], item: .object([
                            "id": .string("\(source.name)/\(tree.locale)/\(file)#\(index)"), "source": .string(source.name),
                            "src": .string(en), "tgt": .string(translated), "package": .string(tree.package.package),
                            "version": .string(tree.package.version), "license": .string(tree.license),
                        ]))
                    }
                }
            }

            // Training documents, in chunks so the cap stops reading early.
            let cap = source.maxBytesPerLanguage ?? Int.max
            var start = 0
            let chunk = 64
            outer: while start < training.count {
                if isCancelled() { throw CorpusError.cancelled }
                if sink.writtenBytes(source.name, language) >= cap { break }
                let slice = Array(training[start..<min(training.count, start + chunk)])
                start += chunk
                let parsed = ParallelLoop.map(slice, workers: cores) { markup.items(read(tree.directory + "/" + $0)) }
                for (file, items) in zip(slice, parsed) {
                    var kept = items
                    if !isReference, let original = referenceItems[file] {
                        let untranslated = Set(original)
                        kept = items.filter { !untranslated.contains($0) }
                    }
                    guard !kept.isEmpty else { sink.skip("untranslated-or-empty"); continue }
                    try sink.add(Document(id: "\(source.name)/\(tree.locale)/\(file)", text: kept.joined(separator: "\n"),
                                          language: language, source: source.name, kind: .text,
                                          package: tree.package.package, version: tree.package.version, license: tree.license))
                    if sink.writtenBytes(source.name, language) >= cap { break outer }
                }
            }
            log("\(source.name) \(tree.locale): \(sink.writtenBytes(source.name, language) / 1000) kB text, \(heldOut.count) held-out files")
        }
    }

    /// File bytes; an unreadable file reads as empty (and yields no items).
    private func read(_ path: String) -> [UInt8] {
        FileContents.read(path) ?? []
    }
}
