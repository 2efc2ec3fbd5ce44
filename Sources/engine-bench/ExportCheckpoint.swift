import Foundation
import Models
import TensorEngine

/// Writes a tiny random Trellis model as an HF checkpoint plus `trellis_expected.json`
/// (ids, all logits, loss) for `scripts/oracles/verify_trellis_checkpoint.py`.
func exportCheckpoint(to directory: URL) throws {
    let config = BloomConfiguration(vocabSize: 77, hiddenSize: 30, layerCount: 3, headCount: 6)
    let model = BloomModel(config: config, initialization: .huggingFace(std: 0.1), seed: 2024)
    // Non-trivial LayerNorm parameters and biases.
    var rng = SplitMix64(seed: 9)
    for p in model.namedParameters() where p.tensor.rank == 1 {
        for i in 0..<p.tensor.count { p.tensor.pointer[i] += 0.1 * rng.nextNormal() }
    }
    try BloomCheckpoint.save(model, to: directory)
    let ids: [Int32] = [5, 17, 42, 9, 0, 76, 33, 33, 12, 60, 1]
    let (logits, loss) = GradMode.withoutGrad { model.loss(ids: ids, batch: 1, length: ids.count) }
    let json: [String: Any] = ["ids": ids.map(Int.init), "logits": logits.toArray().map(Double.init),
                               "shape": logits.shape, "loss": Double(loss.item())]
    try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        .write(to: directory.appendingPathComponent("trellis_expected.json"))
    print("wrote \(directory.path): config.json, model.safetensors, trellis_expected.json (loss \(loss.item()))")
}
