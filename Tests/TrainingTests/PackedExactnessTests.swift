import Models
import TensorEngine
import Testing
import Training

/// The proof that packed examples never see each other: for random models with ALiBi, learned
/// positions and none, the summed target loss of packed rows (segment-masked attention, positions
/// restarting per segment) and its gradients equal the sums over the same examples run one by one.
@Suite(.serialized) struct PackedExactnessTests {
    static let examples = [
        MultitaskPacking.Example(inputs: [5, 9, 14, 3 + 4], targets: [21, 8, 2]),
        MultitaskPacking.Example(inputs: [30, 31], targets: [12, 2]),
        MultitaskPacking.Example(inputs: [17, 6, 40, 41, 11], targets: [33, 34, 35, 2]),
        MultitaskPacking.Example(inputs: [44], targets: [2]),
    ]

    /// Σ CE over the positions whose weight is non-zero, and the gradients it gives.
    static func summedLoss(_ model: BloomModel, ids: [Int32], weights: [Float], batch: Int, length: Int,
                           packing: ForwardOptions.Packing?) -> (loss: Float, grads: [String: [Float]]) {
        model.zeroGradients()
        let logits = model.logits(ids: ids, batch: batch, length: length, options: ForwardOptions(packing: packing))
        var targets = [Int32](repeating: -100, count: batch * length)
        for b in 0..<batch { for t in 1..<length where weights[b * length + t] > 0 { targets[b * length + t - 1] = ids[b * length + t] } }
        let count = targets.filter { $0 != -100 }.count
        let loss = Tensor.crossEntropy(logits: logits.reshaped([batch * length, model.config.vocabSize]), targets: targets) * Float(count)
        loss.backward()
        return (loss.item(), Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.tensor.grad!.toArray()) }))
    }

    @Test(arguments: [PositionEncoding.alibi, .learned, .none])
    func packedEqualsOneByOne(_ position: PositionEncoding) throws {
        let config = BloomConfiguration(vocabSize: 48, hiddenSize: 16, layerCount: 2, headCount: 4, positionEncoding: position, maxPositions: 16)
        let model = BloomModel(config: config, initialization: .bloom(), seed: 7)
        let length = 12
        let rows = try MultitaskPacking(sequenceLength: length, padding: 3, normalizeTargetLoss: false).pack(Self.examples)
        #expect(rows.count == 2)
        let ids = rows.flatMap(\.tokens), weights = rows.flatMap(\.weights)
        let packed = Self.summedLoss(model, ids: ids, weights: weights, batch: rows.count, length: length,
                                     packing: ForwardOptions.Packing(segments: rows.flatMap(\.segments), length: length))
        #expect(rows.flatMap(\.positions) == ForwardOptions.Packing(segments: rows.flatMap(\.segments), length: length).positions
                    || rows.flatMap(\.segments).contains(0), "positions agree except in padding")

        var loss: Float = 0
        var grads: [String: [Float]] = [:]
        for example in Self.examples {
            let alone = example.inputs + example.targets
            let w = [Float](repeating: 0, count: example.inputs.count) + [Float](repeating: 1, count: example.targets.count)
            let single = Self.summedLoss(model, ids: alone, weights: w, batch: 1, length: alone.count, packing: nil)
            loss += single.loss
            for (name, g) in single.grads { grads[name] = zip(grads[name] ?? [Float](repeating: 0, count: g.count), g).map { $0 + $1 } }
        }
        #expect(abs(packed.loss - loss) <= 1e-4 * max(1, abs(loss)), "\(position): packed \(packed.loss) vs one by one \(loss)")
        var worst: Float = 0
        for (name, g) in packed.grads {
            let reference = grads[name]!
            let scale = max(1e-6, reference.map(abs).max() ?? 0)
            worst = max(worst, zip(g, reference).map { abs($0 - $1) }.max()! / scale)
        }
        #expect(worst < 1e-4, "\(position): largest relative gradient difference \(worst)")
    }
}
