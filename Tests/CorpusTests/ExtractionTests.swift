import Foundation
import Testing
@testable import Corpus

@Suite("Extraction")
struct ExtractionTests {
    @Test("HTML items: nested cells, para divs, entities, skipped scripts, no duplicated text")
    func htmlItems() {
        let html = """
        <html><head><title>T</title><script>var x = "<p>no</p>";</script></head><body>
        <h1>Title &amp; more</h1><p>First <b>bold</b>&nbsp;para<br/>graph.</p>
        <table><tr><td><p>In a cell</p></td><td>Bare cell</td></tr></table>
        <div class="para">Publican <div class="url">→ <a href="x">https://example.org</a></div></div>
        <ul><li>one<li>two</ul><!-- <p>comment</p> --><pre>code</pre>
        </body></html>
        """
        #expect(MarkupItems.html.items(Array(html.utf8)) == [
            "Title & more", "First bold para graph.", "In a cell", "Bare cell", "Publican → https://example.org", "one", "two",
        ])
    }

    @Test("Mallard items skip <info> boilerplate")
    func mallard() {
        let page = """
        <page xmlns="http://projectmallard.org/1.0/"><info><desc>meta</desc><license><p>CC-BY-SA</p></license></info>
        <title>Use <gui>Files</gui></title><p>Open the <app>Files</app> application.</p><list><item><p>Item</p></item></list></page>
        """
        #expect(MarkupItems.mallard.items(Array(page.utf8)) == ["Use Files", "Open the Files application.", "Item"])
    }

    @Test("DDTP stanzas parse into synopsis and paragraphs")
    func ddtp() {
        let text = "Package: foo\nDescription-md5: 0123\nDescription-en: short synopsis\n first para\n line two\n .\n second para\n\nPackage: bar\nDescription-md5: 4567\nDescription-en: only synopsis\n"
        let entries = DDTPIndex.parse(text)
        #expect(entries.count == 2)
        #expect(entries[0] == DDTPIndex.Entry(package: "foo", md5: "0123", synopsis: "short synopsis", paragraphs: ["first para line two", "second para"]))
        #expect(entries[1].paragraphs.isEmpty)
    }

    @Test("Evaluation pairs must look like translations")
    func pairFilter() {
        #expect(ParallelPairFilter.accept(source: "Opens the Fontwork dialog.", target: "Ouvre la boîte de dialogue Fontwork.", language: "fr"))
        #expect(!ParallelPairFilter.accept(source: "Opens the Fontwork dialog.", target: "Opens the Fontwork dialog.", language: "fr"))
        #expect(!ParallelPairFilter.accept(source: "Opens the Fontwork dialog.", target: "Opens the Fontwork dialog in French", language: "ar"))
        #expect(ParallelPairFilter.accept(source: "The Debian Administrator's Handbook", target: "دفتر مدير دبيان", language: "ar"))
        #expect(!ParallelPairFilter.accept(source: "Chapter 12 of the book", target: "Chapitre 13 du livre", language: "fr"))
    }

    @Test("Language codes normalize; unknown ones are refused")
    func languages() {
        #expect(LanguageTable.normalize("pt-BR") == "pt")
        #expect(LanguageTable.normalize("zh_CN") == "zh")
        #expect(LanguageTable.normalize("ar-MA") == "ar")
        #expect(LanguageTable.normalize("C") == "en")
        #expect(LanguageTable.normalize("xx-YY") == nil)
    }
}
