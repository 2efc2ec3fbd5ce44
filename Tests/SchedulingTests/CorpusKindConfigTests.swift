import CanonicalJSON
import Corpus
import Execution
import Testing
@testable import StageKinds

/// `kind: corpus` settings reach the corpus configuration; unknown keys are named.
@Suite struct CorpusKindConfigTests {
    func configuration(_ yamlLikeJSON: String) throws -> CorpusConfiguration {
        try CorpusKind().configuration(try JSONValue.parse(yamlLikeJSON), input: "in", output: "out", cores: 2)
    }

    @Test("perplexity: on by default, settings decoded, enabled: false turns it off, unknown keys rejected")
    func perplexitySettings() throws {
        #expect(try configuration("{}").perplexity == PerplexitySettings())
        let custom = try configuration(#"{"perplexity": {"percentile": 90, "reference_sources": ["ddtp"], "reference_bytes": 5000}}"#).perplexity
        #expect(custom?.percentile == 90 && custom?.referenceSources == ["ddtp"] && custom?.referenceBytesPerLanguage == 5000)
        #expect(try configuration(#"{"perplexity": {"enabled": false}}"#).perplexity == nil)
        #expect(throws: BuiltinConfigError.self) { try configuration(#"{"perplexity": {"percentil": 90}}"#) }
        #expect(throws: BuiltinConfigError.self) { try configuration(#"{"perplexity": {"percentile": 140}}"#) }
    }
}
