import CanonicalJSON
import FileIO
import Foundation
import Models
import PromptTemplates
import Tokenization
import Training

/// A BLOOM checkpoint folder (`config.json`, `model.safetensors`, `tokenizer.json`) answering the
/// harness's three request types exactly as lm-evaluation-harness's `HFLM` does for a causal model:
/// no special tokens added, the prefix token (BOS, else EOS) as the context of an empty context,
/// context and continuation split by encoding the whole and the context (`_encode_pair`), left
/// truncation to `max_length + 1` tokens, rolling windows of `max_length` with one token of
/// context, and greedy generation cut at the first stop string.
public struct HarnessLanguageModel {
    public let model: BloomModel
    public let tokenizer: Tokenizer
    public let folder: String
    /// Token conditioning an empty context (and the first rolling window).
    public let prefixToken: Int32
    public let eos: Int32
    /// Longest input: `model_max_length` of `tokenizer_config.json` (2048 when absent, as the
    /// harness); with learned positions at most the position table's size − 1 (a request holds
    /// max_length + 1 tokens).
    public let maxLength: Int
    var scorer: TokenScorer

    /// How log-likelihood requests are computed; the results agree to float rounding (`HarnessScoringTests`).
    public enum ScoringMode: String, CaseIterable, Sendable {
        /// One request per forward pass, in the order given (the reference path).
        case unbatched
        /// `batchSize` requests per pass, sorted by length so padding is small (as the harness sorts).
        case batched
        /// Requests sharing a context (a multiple-choice question's choices) run the context once
        /// through the KV cache, then each continuation from a copy of it; lone requests batched.
        case sharedPrefix = "shared-prefix"
    }
    public var scoringMode = ScoringMode.sharedPrefix

    /// Requests scored since loading (progress).
    public var onScored: (Int) -> Void {
        get { scorer.onBatchScored }
        set { scorer.onBatchScored = newValue }
    }

    public init(folder: String, maxLength: Int? = nil, batchSize: Int = 8) throws {
        for file in ["config.json", "model.safetensors", "tokenizer.json"] where !FileManager.default.fileExists(atPath: folder + "/" + file) {
            throw EvalError.missingInput(what: "\(file) of a BLOOM checkpoint folder", searched: [folder])
        }
        self.folder = folder
        model = try BloomCheckpoint.load(from: URL(fileURLWithPath: folder))
        tokenizer = try TrainingData.loadTokenizer(folder + "/tokenizer.json")
        let (eosID, padID) = try TrainingData.specialTokens(tokenizer, file: folder + "/tokenizer.json")
        eos = Int32(eosID)
        let config = Self.tokenizerConfig(folder)
        var prefix = eos
        if case .string(let bos)? = config["bos_token"], let id = tokenizer.id(forToken: bos) { prefix = Int32(id) }
        prefixToken = prefix
        var length = 2048
        if case .int(let m)? = config["model_max_length"], m > 0, m < 1_000_000_000_000 { length = m }
        if let maxLength { length = maxLength }
        // A learned position table bounds the input: a request's max_length + 1 tokens must fit in it.
        if model.config.positionEncoding == .learned { length = min(length, model.config.maxPositions - 1) }
        self.maxLength = max(2, length)
        scorer = TokenScorer(model: model, padding: Int32(padID), batchSize: batchSize)
    }

    static func tokenizerConfig(_ folder: String) -> [String: JSONValue] {
        var merged: [String: JSONValue] = [:]
        for file in ["special_tokens_map.json", "tokenizer_config.json"] {
            guard let bytes = FileContents.read(folder + "/" + file), case .object(let o)? = try? JSONValue.parse(Data(bytes)) else { continue }
            for (k, v) in o {
                if case .object(let token) = v, let content = token["content"] { merged[k] = content } else { merged[k] = v }
            }
        }
        return merged
    }

    public func encode(_ text: String) -> [Int32] { tokenizer.encode(text).map { Int32(bitPattern: $0) } }

    /// `_encode_pair`: trailing spaces of the context move to the continuation; the continuation's
    /// tokens are those of `context + continuation` past the context's own tokens.
    public func encodePair(context: String, continuation: String) -> (context: [Int32], continuation: [Int32]) {
        if context.isEmpty { return ([prefixToken], encode(continuation)) }
        var context = context, continuation = continuation
        let trimmed = String(String.UnicodeScalarView(context.unicodeScalars.reversed().drop(while: { PythonText.isSpace($0) }).reversed()))
        if trimmed.unicodeScalars.count < context.unicodeScalars.count {
            continuation = String(context.unicodeScalars.dropFirst(trimmed.unicodeScalars.count)) + continuation
            context = trimmed
        }
        let whole = encode(context + continuation)
        let contextIDs = encode(context)
        return (contextIDs, Array(whole.dropFirst(min(contextIDs.count, whole.count))))
    }

    /// One scored row: the last `max_length + 1` tokens of context + continuation, the continuation scored.
    func row(context: [Int32], continuation: [Int32]) -> TokenScorer.Row {
        var ids = context + continuation
        var scored = Array(repeating: false, count: context.count) + Array(repeating: true, count: continuation.count)
        let limit = maxLength + 1
        if ids.count > limit { ids = Array(ids.suffix(limit)); scored = Array(scored.suffix(limit)) }
        scored[0] = false
        return TokenScorer.Row(ids: ids, scored: scored)
    }

    /// `loglikelihood` requests: (summed log-probability of the continuation, is it the greedy continuation).
    public func loglikelihood(_ requests: [(context: String, continuation: String)]) -> [(logLikelihood: Double, greedy: Bool)] {
        let rows = requests.map { r -> TokenScorer.Row in
            let (c, x) = encodePair(context: r.context, continuation: r.continuation)
            return row(context: c, continuation: x)
        }
        return score(rows).map { ($0.logLikelihood, $0.greedy) }
    }

    func score(_ rows: [TokenScorer.Row]) -> [TokenScorer.Score] {
        switch scoringMode {
        case .unbatched:
            var single = TokenScorer(model: model, padding: scorer.padding, batchSize: 1)
            single.onBatchScored = scorer.onBatchScored
            return single.score(rows)
        case .batched:
            return sortedByLength(rows)
        case .sharedPrefix:
            return PrefixSharing.score(rows, model: model, batched: sortedByLength, onScored: scorer.onBatchScored)
        }
    }

    /// Rows scored longest first in batches (little padding), results in the given order.
    func sortedByLength(_ rows: [TokenScorer.Row]) -> [TokenScorer.Score] {
        let order = rows.indices.sorted { (rows[$0].ids.count, $1) > (rows[$1].ids.count, $0) }
        let scores = scorer.score(order.map { rows[$0] })
        var out = [TokenScorer.Score](repeating: TokenScorer.Score(logLikelihood: 0, tokens: 0), count: rows.count)
        for (position, index) in order.enumerated() { out[index] = scores[position] }
        return out
    }

    /// `loglikelihood_rolling`: the text's total log-likelihood over disjoint windows
    /// (`get_rolling_token_windows` with context_len 1, then `make_disjoint_window`).
    public func rollingLoglikelihood(_ texts: [String]) -> [Double] {
        var rows: [TokenScorer.Row] = [], owner: [Int] = []
        for (i, text) in texts.enumerated() {
            let tokens = encode(text)
            for (context, predicted) in Self.rollingWindows(tokens, prefix: prefixToken, maxLength: maxLength) {
                rows.append(row(context: context, continuation: predicted)); owner.append(i)
            }
        }
        var totals = [Double](repeating: 0, count: texts.count)
        for (score, i) in zip(scoringMode == .unbatched ? score(rows) : sortedByLength(rows), owner) { totals[i] += score.logLikelihood }
        return totals
    }

    static func rollingWindows(_ tokens: [Int32], prefix: Int32, maxLength: Int) -> [(context: [Int32], predicted: [Int32])] {
        guard !tokens.isEmpty else { return [] }
        var windows: [([Int32], [Int32])] = []
        let first = min(maxLength, tokens.count)
        windows.append(([prefix] + tokens[..<(first - 1)], Array(tokens[..<first])))
        var predicted = first
        while predicted < tokens.count {
            let length = min(tokens.count - predicted, maxLength)
            let end = predicted + length
            windows.append((Array(tokens[max(0, end - maxLength - 1)..<(end - 1)]), Array(tokens[(end - length)..<end])))
            predicted += length
        }
        // make_disjoint_window: the context keeps only what precedes the predicted tokens
        return windows.map { (Array($0.0.prefix($0.0.count - ($0.1.count - 1))), $0.1) }
    }

    /// `generate_until`: greedy continuation of the context (left-truncated to `max_length −
    /// max_gen_toks`), stopped at EOS, `maxTokens` or the first stop string, and cut there.
    public func generate(context: String, until: [String], maxTokens: Int) -> String {
        var ids = context.isEmpty ? [prefixToken] : encode(context)
        let room = max(1, maxLength - maxTokens)
        if ids.count > room { ids = Array(ids.suffix(room)) }
        let cache = KVCache(layers: model.config.layerCount, heads: model.config.headCount)
        var logits = model.nextTokenLogits(ids, cache: cache)
        var generated: [UInt32] = []
        var text = ""
        for step in 0..<maxTokens {
            var best = 0
            for j in 1..<logits.count where logits[j] > logits[best] { best = j }
            if Int32(best) == eos { break }
            generated.append(UInt32(best))
            text = (try? tokenizer.decodeText(generated, skipSpecialTokens: true)) ?? text
            if until.contains(where: { PythonText.prefix(text, before: $0).found }) { break }
            if step + 1 == maxTokens { break }
            if model.config.positionEncoding == .learned && cache.length >= model.config.maxPositions { break }
            logits = model.nextTokenLogits([Int32(best)], cache: cache)
        }
        for stop in until { text = PythonText.prefix(text, before: stop).text }   // `s.split(term)[0]` for each term
        return text
    }
}
