import Foundation

/// Per-language fertility of a multilingual tokenizer against monolingual ones.
public struct FertilityReport: Codable, Sendable, Equatable {
    /// One language's row.
    public struct Language: Codable, Sendable, Equatable {
        /// The sample's label.
        public var name: String
        /// Words in the evaluation text (``Fertility/wordCount(_:)``).
        public var words: Int
        /// Tokens of the evaluation text under the multilingual tokenizer.
        public var multilingualTokens: Int
        /// Tokens under the tokenizer trained on this language alone.
        public var monolingualTokens: Int
        /// Multilingual tokens per word.
        public var multilingualFertility: Double
        /// Monolingual tokens per word.
        public var monolingualFertility: Double
        /// How many percent more tokens per word the multilingual tokenizer needs.
        public var degradationPercent: Double
        /// Whether the degradation is at most the target.
        public var withinTarget: Bool

        init(name: String, words: Int, multilingualTokens: Int, monolingualTokens: Int, targetPercent: Double) {
            self.name = name
            self.words = words
            self.multilingualTokens = multilingualTokens
            self.monolingualTokens = monolingualTokens
            multilingualFertility = words > 0 ? Double(multilingualTokens) / Double(words) : 0
            monolingualFertility = words > 0 ? Double(monolingualTokens) / Double(words) : 0
            degradationPercent = monolingualTokens > 0
                ? (Double(multilingualTokens) / Double(monolingualTokens) - 1) * 100 : 0
            withinTarget = degradationPercent <= targetPercent
        }
    }

    /// Vocabulary size of the multilingual tokenizer.
    public var vocabularySize: Int
    /// The allowed degradation in percent (BLOOM: 10).
    public var targetPercent: Double
    /// One row per language, in input order.
    public var languages: [Language]

    /// True when every language is within the target.
    public var allWithinTarget: Bool { languages.allSatisfy(\.withinTarget) }

    /// A Markdown table of the report.
    public var markdown: String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        var lines = [
            "Fertility (tokens per word), vocabulary \(vocabularySize), target: at most \(String(format: "%.0f", targetPercent))% worse than monolingual",
            "",
            "| language | words | multilingual | monolingual | degradation | within target |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for l in languages {
            lines.append("| \(l.name) | \(l.words) | \(f(l.multilingualFertility)) | \(f(l.monolingualFertility)) | "
                + "\(String(format: "%+.1f", l.degradationPercent))% | \(l.withinTarget ? "yes" : "no") |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
