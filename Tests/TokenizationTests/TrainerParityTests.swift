import Foundation
import Testing
@testable import Tokenization

/// The trainer against HF tokenizers' BpeTrainer on the real multilingual fixture
/// (Fixtures/README.md says how the hf-*.json files were made).
@Suite struct TrainerParityTests {
    @Test func sameVocabularyAndMergesAsHF() throws {
        let ours = try Fixtures.train(vocabularySize: 2048)
        let hf = try Fixtures.hfModel("hf-tokenizer.json")
        #expect(ours.vocabularySize == 2048)
        let sameVocabulary = ours.model.tokens == hf.vocab
        #expect(sameVocabulary)
        Fixtures.expectSameMerges(Fixtures.mergeStrings(ours), hf.merges)
    }

    @Test func lineDeduplicationMatchesHFOnDedupedText() throws {
        let ours = try Fixtures.train(vocabularySize: 2048, dedup: true)
        let hf = try Fixtures.hfModel("hf-tokenizer-dedup.json")
        let sameVocabulary = ours.model.tokens == hf.vocab
        #expect(sameVocabulary)
        Fixtures.expectSameMerges(Fixtures.mergeStrings(ours), hf.merges)
        // The fixture has duplicate lines, so deduplication must change the result.
        let differs = try Fixtures.hfModel("hf-tokenizer.json").merges != hf.merges
        #expect(differs)
    }

    @Test func reservedTokensShiftIDsLikeHF() throws {
        let ours = try Fixtures.train(vocabularySize: 700, reserved: 3)
        let hf = try Fixtures.hfModel("hf-tokenizer-reserved.json")
        #expect(Array(ours.model.tokens.prefix(7)) == ["<unk>", "<s>", "</s>", "<pad>", "<reserved_0>", "<reserved_1>", "<reserved_2>"])
        let sameVocabulary = ours.model.tokens == hf.vocab
        #expect(sameVocabulary)
        Fixtures.expectSameMerges(Fixtures.mergeStrings(ours), hf.merges)
        #expect(ours.addedTokens.map(\.content) == BPETrainerConfiguration(reservedTokens: 3).allSpecialTokens)
    }

    @Test func smallerVocabularyIsAPrefixOfHFMerges() throws {
        let ours = try Fixtures.train(vocabularySize: 600)
        let hf = try Fixtures.hfModel("hf-tokenizer.json")
        #expect(ours.vocabularySize == 600)
        Fixtures.expectSameMerges(Fixtures.mergeStrings(ours), Array(hf.merges.prefix(600 - 260)))
    }

    @Test(arguments: [(1, 8 << 20), (2, 4096), (3, 1500)])
    func workersAndChunkSizeDoNotChangeTheResult(workers: Int, chunkSize: Int) throws {
        let reference = try Fixtures.train(vocabularySize: 1200)
        let other = try Fixtures.train(vocabularySize: 1200, workers: workers, chunkSize: chunkSize)
        let sameMerges = other.model.merges == reference.model.merges
        let sameTokens = other.model.tokens == reference.model.tokens
        #expect(sameMerges && sameTokens)
    }
}
