import CanonicalJSON
import Foundation
import Testing
@testable import Corpus

@Suite("Debian sections: topic-classification labels")
struct PackageSectionsTests {
    @Test("Packages stanzas give description md5 → section; areas dropped; ambiguous descriptions left out")
    func parse() {
        let packages = """
            Package: a
            Section: libs
            Description-md5: 111

            Package: b
            Section: contrib/net
            Description-md5: 222

            Package: c
            Section: doc
            Description-md5: 333

            Package: d
            Section: devel
            Description-md5: 333

            Package: e
            Section: utils
            Description-md5: 111

            Package: f
            Description-md5: 444
            """
        let sections = PackageSections.parse(packages: Array(packages.utf8))
        #expect(sections.sectionByDescription == ["222": "net"])   // 111 and 333 are ambiguous, 444 has no section
        #expect(PackageSections.parse(tsv: sections.tsv) == sections)
    }

    @Test("Held-out descriptions with a section of the classes become classification items, balanced per class")
    func classificationItems() throws {
        let (directory, report) = try Support.fetchFixtures()
        let files = report.evalFiles.filter { $0.path.hasPrefix("eval/classification/ddtp-section.") }
        #expect(!files.isEmpty, "\(report.evalFiles)")
        let known = PackageSections.parse(tsv: [UInt8](try CorpusFiles.read(Support.fixtureCache + "/ddtp/sections/sections.tsv")))
        for file in files {
            let reader = try LineReader(path: directory + "/" + file.path)
            _ = try FormatHeader.check(try reader.next(), format: FormatHeader.eval, maxVersion: 1, path: file.path)
            var counts: [String: Int] = [:]
            while let line = try reader.next() {
                let item = try JSONValue.parse(line)
                let section = try #require(item["section"]?.stringValue)
                #expect(PackageSections.classes.contains(section))
                let md5 = String(item["id"]!.stringValue!.split(separator: "/").last!)
                #expect(known.sectionByDescription[md5] == section)
                counts[section, default: 0] += 1
            }
            #expect(!counts.isEmpty)
        }
    }
}
