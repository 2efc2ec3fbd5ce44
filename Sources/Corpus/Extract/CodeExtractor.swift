import FileIO
import ParallelLoops
import Foundation

/// Source files of one programming language from one or more packages, selected by extension,
/// skipping symlinks, excluded paths, empty and oversized (generated/minified) files, in a stable
/// hashed order until the byte cap. One document per file.
struct CodeExtractor {
    var source: SourceSpec
    var packages: [(CachedPackage, String)]
    var cores: Int

    func run(into sink: ExtractionSink, isCancelled: () -> Bool, log: (String) -> Void) throws {
        let language = source.language!
        let cap = source.maxBytes ?? Int.max
        var candidates: [(package: CachedPackage, license: String, path: String)] = []
        for (package, license) in packages {
            for path in FileListing.files(under: package.root, extensions: source.extensions)
            where !source.exclude.contains(where: { path.contains($0) }) {
                candidates.append((package, license, path))
            }
        }
        if candidates.isEmpty {
            throw CorpusError.missingSource(name: source.name, detail: "no \(source.extensions.joined(separator: "/")) files in \(packages.map(\.0.package).joined(separator: ", "))")
        }
        candidates = candidates.map { (stableHash(source.name + $0.package.package + $0.path), $0) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.path < $1.1.path }.map(\.1)
        var start = 0
        outer: while start < candidates.count {
            if isCancelled() { throw CorpusError.cancelled }
            let slice = Array(candidates[start..<min(candidates.count, start + 64)])
            start += 64
            let texts: [String?] = ParallelLoop.map(slice, workers: cores) { candidate in
                let path = candidate.package.root + "/" + candidate.path
                guard let data = FileContents.read(path), !data.isEmpty, data.count <= source.maxFileBytes else { return nil }
                return String(validatingUTF8Bytes: data)
            }
            for (candidate, text) in zip(slice, texts) {
                guard let text else { sink.skip("code-empty-large-or-invalid-utf8"); continue }
                try sink.add(Document(id: "\(source.name)/\(candidate.package.package)/\(candidate.path)", text: text, language: language,
                                      source: source.name, kind: .code, package: candidate.package.package,
                                      version: candidate.package.version, license: candidate.license))
                if sink.writtenBytes(source.name, language) >= cap { break outer }
            }
        }
        log("\(source.name): \(sink.writtenBytes(source.name, language) / 1000) kB from \(packages.map(\.0.package).joined(separator: ", "))")
    }
}

extension String {
    /// The string for valid UTF-8 bytes without NUL characters, nil otherwise (binary files).
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        if bytes.contains(0) { return nil }
        var scalars: [UInt32] = []
        let valid = bytes.withUnsafeBufferPointer { UTF8Codec.decode($0, into: &scalars) }
        guard valid else { return nil }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
