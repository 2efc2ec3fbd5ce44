import Testing
@testable import Tokenization

@Suite struct BenchmarkFunctionTests {
    /// The public entry point for `trellis bench tokenizer`, on the small fixture.
    @Test func benchmarkRunsAndReports() throws {
        let (report, tokenizer) = try TokenizerBenchmark.run(corpus: Fixtures.url("train.txt").path, vocabularySize: 600, runs: 2)
        #expect(report.trainingSeconds.count == 2 && report.encodingSeconds.count == 2)
        #expect(report.lines == 2496 && report.corpusBytes == 218_319)
        #expect(tokenizer.vocabularySize == 600)
        #expect(report.tokens > 0 && report.encodingMegabytesPerSecond > 0)
    }
}
