import Foundation

/// xP3 examples as Megatron-DeepSpeed's multitask finetuning packs them
/// (`decoder_packed_mtf_dataset.py`, `get_packed_attention_mask`): inputs tokenized as they are,
/// targets with a space prepended and EOS appended; examples packed greedily, in order, into rows
/// of `sequenceLength` tokens with segment ids (1, 2, … per example; 0 = padding); the loss only on
/// target tokens, each weighted 1 or — with `normalizeTargetLoss` — 1/(its span's length), so every
/// example counts equally. Positions restart at 0 in each segment, so a packed example sees exactly
/// what it would see alone (with the same-segment attention mask) under any position encoding.
public struct MultitaskPacking {
    /// One example, tokenized.
    public struct Example: Equatable, Sendable {
        public var inputs: [Int32]
        public var targets: [Int32]
        public init(inputs: [Int32], targets: [Int32]) { self.inputs = inputs; self.targets = targets }
    }

    /// One packed row (all arrays `sequenceLength` long).
    public struct Row: Equatable, Sendable {
        public var tokens: [Int32]
        /// 1… per example, 0 for padding: attention is causal AND same segment.
        public var segments: [Int32]
        /// Position of each token within its example (0 for padding).
        public var positions: [Int32]
        /// Loss weight of predicting `tokens[t]` from `tokens[..<t]` (0 outside targets).
        public var weights: [Float]
    }

    public enum PackingError: Error, Equatable, CustomStringConvertible {
        case targetTooLong(example: Int, tokens: Int, sequenceLength: Int)
        case emptyTarget(example: Int)

        public var description: String {
            switch self {
            case let .targetTooLong(example, tokens, length):
                return "example \(example): its target is \(tokens) tokens with EOS, which leaves no room for its inputs in a sequence of \(length)"
            case let .emptyTarget(example): return "example \(example): the target is empty"
            }
        }
    }

    public var sequenceLength: Int
    public var padding: Int32
    public var normalizeTargetLoss: Bool

    public init(sequenceLength: Int, padding: Int32, normalizeTargetLoss: Bool) {
        precondition(sequenceLength >= 2, "MultitaskPacking: sequence length below 2")
        self.sequenceLength = sequenceLength; self.padding = padding; self.normalizeTargetLoss = normalizeTargetLoss
    }

    /// Megatron's xP3 tokenization: `inputs` as is, `" " + targets` followed by EOS.
    public static func tokenize(inputs: String, targets: String, eos: Int32, encode: (String) -> [Int32]) -> Example {
        Example(inputs: encode(inputs), targets: encode(" " + targets) + [eos])
    }

    /// Packs `examples` in order. An example longer than a row keeps the end of its inputs (the
    /// target must fit with at least one input token before it); a row is closed when the next
    /// example does not fit.
    public func pack(_ examples: [Example]) throws -> [Row] {
        var rows: [Row] = []
        var current = emptyRow(), used = 0, segment: Int32 = 0
        func close() {
            if used > 0 { rows.append(current) }
            current = emptyRow(); used = 0; segment = 0
        }
        for (index, example) in examples.enumerated() {
            guard !example.targets.isEmpty else { throw PackingError.emptyTarget(example: index) }
            guard example.targets.count < sequenceLength else {
                throw PackingError.targetTooLong(example: index, tokens: example.targets.count, sequenceLength: sequenceLength)
            }
            var inputs = example.inputs
            if inputs.count + example.targets.count > sequenceLength { inputs = Array(inputs.suffix(sequenceLength - example.targets.count)) }
            let length = inputs.count + example.targets.count
            if used + length > sequenceLength { close() }
            segment += 1
            let weight: Float = normalizeTargetLoss ? 1 / Float(example.targets.count) : 1
            for (k, token) in (inputs + example.targets).enumerated() {
                let t = used + k
                current.tokens[t] = token
                current.segments[t] = segment
                current.positions[t] = Int32(k)
                // The first input token is never predicted (nothing of its example precedes it).
                current.weights[t] = k >= inputs.count && k > 0 ? weight : 0
            }
            used += length
        }
        close()
        return rows
    }

    func emptyRow() -> Row {
        Row(tokens: Array(repeating: padding, count: sequenceLength), segments: Array(repeating: 0, count: sequenceLength),
            positions: Array(repeating: 0, count: sequenceLength), weights: Array(repeating: 0, count: sequenceLength))
    }
}
