import Layers
import Models
import TensorEngine
import EngineTestSupport

/// The unsplit model that the tensor- and pipeline-parallel tests compare against.
struct ParallelReference {
    let model: BloomModel
    let logits: Tensor
    let loss: Float
    /// Every parameter's gradient after one backward pass, by HF name.
    let gradients: [String: Tensor]

    init(config: BloomConfiguration, seed: UInt64, ids: [Int32], batch: Int, length: Int) {
        model = BloomModel(config: config, initialization: .huggingFace(std: 0.1), seed: seed)
        let (logits, loss) = model.loss(ids: ids, batch: batch, length: length)
        loss.backward()
        self.logits = logits
        self.loss = loss.item()
        gradients = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.tensor.grad!) })
    }

    /// Largest |a − b| relative to the largest |b| (at least 1e-3).
    static func relativeError(_ a: Tensor, _ b: Tensor) -> Float {
        let expected = b.toArray()
        let scale = max(1e-3, expected.map { Swift.abs($0) }.max() ?? 0)
        return TestData.maxAbsDiff(a.toArray(), expected) / scale
    }
}
