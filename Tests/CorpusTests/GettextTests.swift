import CanonicalJSON
import Foundation
import Testing
@testable import Corpus

@Suite("Gettext catalogs (Swahili, Urdu, Bengali sources)")
struct GettextTests {
    static var fixtures: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("gettext").path
    }

    @Test("A Django .po and the .mo compiled from it give the same Swahili strings; the header entry is left out")
    func poAndMoAgree() throws {
        let po = try GettextCatalog.read(path: Self.fixtures + "/django-sw/django.po")
        let mo = try GettextCatalog.read(path: Self.fixtures + "/django-sw/django.mo")
        #expect(po.count >= 5)
        #expect(Set(po.map { "\($0.source)→\($0.translation)" }) == Set(mo.map { "\($0.source)→\($0.translation)" }))
        #expect(po.contains(GettextCatalog.Entry(source: "domain name", translation: "jina la kikoa")))
        #expect(!po.contains { $0.source.isEmpty || $0.translation.contains("Project-Id-Version") })
    }

    @Test("A LibreOffice .mo with msgctxt ids: English sources, Bengali translations")
    func libreOfficeMo() throws {
        let entries = try GettextCatalog.read(path: Self.fixtures + "/libreoffice-bn/svl.mo")
        #expect(!entries.isEmpty)
        #expect(entries.contains(GettextCatalog.Entry(source: "Workplace", translation: "কর্মস্থল")))
        #expect(entries.allSatisfy { !$0.source.contains("\u{04}") && $0.translation.unicodeScalars.contains { (0x0980...0x09FF).contains($0.value) } })
    }

    @Test("Fuzzy and untranslated .po entries are skipped; continuation lines and escapes are joined")
    func poDetails() {
        let text = """
        msgid ""
        msgstr "Content-Type: text/plain; charset=UTF-8\\n"

        #, fuzzy
        msgid "Old"
        msgstr "Zamani"

        msgid "Empty"
        msgstr ""

        msgctxt "menu"
        msgid "Save "
        "file"
        msgstr "Hifadhi "
        "faili \\"sasa\\""

        msgid "One item"
        msgid_plural "%d items"
        msgstr[0] "Kitu kimoja"
        msgstr[1] "Vitu %d"
        """
        #expect(GettextCatalog.po(text) == [.init(source: "Save file", translation: "Hifadhi faili \"sasa\""),
                                            .init(source: "One item", translation: "Kitu kimoja")])
        #expect(GettextCatalog.mo(Array("not a catalog at all, long enough".utf8)) == nil)
    }

    @Test("The extractor writes one document per catalog and locale, licence recorded; a .mo beside its .po is not read twice")
    func extractor() throws {
        let root = Support.scratch() + "/package"
        let catalogDir = root + "/django/contrib/sites/locale/sw/LC_MESSAGES"
        try FileManager.default.createDirectory(atPath: catalogDir, withIntermediateDirectories: true)
        for name in ["django.po", "django.mo"] {
            try FileManager.default.copyItem(atPath: Self.fixtures + "/django-sw/" + name, toPath: catalogDir + "/" + name)
        }
        let bnDir = root + "/program/resource/bn/LC_MESSAGES"
        try FileManager.default.createDirectory(atPath: bnDir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/libreoffice-bn/svl.mo", toPath: bnDir + "/svl.mo")
        #expect(GettextExtractor.catalogs(under: root, locale: "sw") == ["django/contrib/sites/locale/sw/LC_MESSAGES/django.po"])

        let node = try JSONValue.parse(Array(#"{"name": "ui", "extractor": "gettext", "license": "BSD-3-Clause", "packages": [{"package": "pypi:django", "version": "5.2.19"}], "locales": ["sw", "bn", "ur"]}"#.utf8))
        let source = try SourceSpec(node: node, selection: "test")
        let package = CachedPackage(package: "pypi:django", version: "5.2.19", copyrightLicense: nil, root: root, debBytes: 0, fromCache: true)
        let output = Support.scratch() + "/out"
        let sink = ExtractionSink(outputDirectory: output)
        try GettextExtractor(source: source, packages: [(package, "BSD-3-Clause")]).run(into: sink, isCancelled: { false }, log: { _ in })
        let files = try sink.finish().documents
        #expect(files.map(\.language).sorted() == ["bn", "sw"])
        let swahili = try DocumentFileReader.readAll(output + "/" + files.first { $0.language == "sw" }!.path).documents
        #expect(swahili.count == 1)
        #expect(swahili[0].license == "BSD-3-Clause" && swahili[0].package == "pypi:django" && swahili[0].text.contains("jina la kikoa"))
    }
}
