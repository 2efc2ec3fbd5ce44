/// The prompts of the eval stage, recorded verbatim in every result file.
public enum PromptFormats {
    /// ddtp-synopsis: pick the package synopsis that fits a package description.
    public static let multipleChoice = "{question}\\nSummary:| {choice}"
    public static let multipleChoiceNote = "context and continuation split at '|'; one-shot prepends a solved item of the same file and a blank line; EOS as document start"

    public static func choiceContext(question: String) -> String { question + "\nSummary:" }
    public static func choiceContinuation(_ choice: String) -> String { " " + choice }

    /// BLOOM paper's one-shot MT prompt (promptsource `a_good_translation-source+target`).
    public static let translation = "Given the following source text in {source}: {text}, a good {target} translation is:| {translation}"
    public static let translationNote = "one demonstration pair of the same file, blank line, then the prompt; greedy decoding until EOS or a newline"

    public static func translationPrompt(source: String, target: String, text: String) -> String {
        "Given the following source text in \(languageName(source)): \(text), a good \(languageName(target)) translation is:"
    }

    public static let perplexity = "EOS + document; disjoint windows of the training sequence length, each with one token of context (lm-evaluation-harness rolling loglikelihood)"

    public static func languageName(_ code: String) -> String {
        let names = ["en": "English", "fr": "French", "es": "Spanish", "pt": "Portuguese", "de": "German", "ca": "Catalan",
                     "eu": "Basque", "id": "Indonesian", "vi": "Vietnamese", "zh": "Chinese", "ja": "Japanese", "hi": "Hindi",
                     "ar": "Arabic", "fa": "Persian", "it": "Italian", "ru": "Russian", "nl": "Dutch", "pl": "Polish"]
        return names[code] ?? code
    }
}
