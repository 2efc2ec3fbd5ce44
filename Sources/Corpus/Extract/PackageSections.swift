/// The Debian archive section of each package description (`Description-md5` → `Section` of the
/// bookworm main `Packages` index): the real label of the topic-classification evaluation.
public struct PackageSections: Sendable, Equatable {
    /// Sections used as classes: the ten largest of bookworm main whose descriptions say what they
    /// are about (language ecosystems other than Python left out: their descriptions name them).
    public static let classes = ["libs", "libdevel", "python", "doc", "devel", "utils", "net", "science", "games", "admin"]

    public var sectionByDescription: [String: String]

    /// Parses a `Packages` index (deb822 stanzas). A section with an area (`contrib/net`) keeps its
    /// last part; a description shared by packages of different sections is dropped (ambiguous).
    public static func parse(packages bytes: [UInt8]) -> PackageSections {
        var map: [String: String] = [:], ambiguous = Set<String>()
        var section: String?, md5: String?
        func finish() {
            if let md5, let section {
                if let existing = map[md5], existing != section { ambiguous.insert(md5) } else { map[md5] = section }
            }
            section = nil; md5 = nil
        }
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.isEmpty { finish(); continue }
            if line.starts(with: Array("Section: ".utf8)) {
                let value = String(decoding: line.dropFirst(9), as: UTF8.self).trimmingCharacters(in: .whitespaces)
                section = value.split(separator: "/").last.map(String.init)
            } else if line.starts(with: Array("Description-md5: ".utf8)) {
                md5 = String(decoding: line.dropFirst(17), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            }
        }
        finish()
        for md5 in ambiguous { map.removeValue(forKey: md5) }
        return PackageSections(sectionByDescription: map)
    }

    /// `md5<TAB>section` lines, sorted (the cached form).
    public var tsv: [UInt8] {
        Array(sectionByDescription.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value)\n" }.joined().utf8)
    }

    public static func parse(tsv bytes: [UInt8]) -> PackageSections {
        var map: [String: String] = [:]
        for line in bytes.split(separator: 0x0A) {
            let parts = line.split(separator: 0x09)
            guard parts.count == 2 else { continue }
            map[String(decoding: parts[0], as: UTF8.self)] = String(decoding: parts[1], as: UTF8.self)
        }
        return PackageSections(sectionByDescription: map)
    }
}

import Foundation
