import Foundation
import Testing
import Layers
import Models
import Optimization
import TensorEngine
import EngineTestSupport

@Suite("Generation, ablation variants, mixed precision, initialisation")
struct ModelVariantTests {
    static let small = BloomConfiguration(vocabSize: 61, hiddenSize: 24, layerCount: 2, headCount: 6)

    @Test(arguments: PositionEncoding.allCases)
    func cachedDecodingMatchesFullForward(position: PositionEncoding) {
        var config = Self.small
        config.positionEncoding = position
        config.maxPositions = 32
        let model = BloomModel(config: config, initialization: .huggingFace(std: 0.2), seed: 5)
        let ids: [Int32] = [3, 14, 15, 9, 26, 5, 35]
        let full = GradMode.withoutGrad { model.logits(ids: ids, batch: 1, length: ids.count).toArray() }
        let cache = KVCache(layers: config.layerCount, heads: config.headCount)
        _ = model.nextTokenLogits(Array(ids[0..<4]), cache: cache)        // prefill 4
        var last: [Float] = []
        for t in 4..<ids.count { last = model.nextTokenLogits([ids[t]], cache: cache) }
        #expect(TestData.maxAbsDiff(last, Array(full[((ids.count - 1) * 61)...])) < 1e-4)
    }

    @Test func greedyAndSeededSampling() {
        let model = BloomModel(config: Self.small, initialization: .huggingFace(std: 0.3), seed: 6)
        let greedy = model.generate(prompt: [1, 2, 3], maxNewTokens: 6)
        #expect(greedy.count == 6 && greedy == model.generate(prompt: [1, 2, 3], maxNewTokens: 6))
        // Greedy equals argmax of the full forward, token by token.
        var seq: [Int32] = [1, 2, 3]
        for _ in 0..<6 {
            let logits = GradMode.withoutGrad { model.logits(ids: seq, batch: 1, length: seq.count).toArray() }
            let last = Array(logits[((seq.count - 1) * 61)...])
            seq.append(Int32(last.indices.max { last[$0] < last[$1] }!))
        }
        #expect(Array(seq.dropFirst(3)) == greedy)
        let a = model.generate(prompt: [1, 2, 3], maxNewTokens: 8, sampling: .sample(temperature: 0.8, topP: 0.9, seed: 1))
        let b = model.generate(prompt: [1, 2, 3], maxNewTokens: 8, sampling: .sample(temperature: 0.8, topP: 0.9, seed: 1))
        #expect(a == b)
        // topP → 0 keeps only the most likely token: sampling becomes greedy.
        #expect(model.generate(prompt: [1, 2, 3], maxNewTokens: 6, sampling: .sample(temperature: 1, topP: 1e-6, seed: 9)) == greedy)
    }

    @Test(arguments: PositionEncoding.allCases, [true, false])
    func variantsTrain(position: PositionEncoding, embeddingLayerNorm: Bool) {
        var config = Self.small
        config.positionEncoding = position
        config.embeddingLayerNorm = embeddingLayerNorm
        config.maxPositions = 16
        config.hiddenDropout = 0.1; config.attentionDropout = 0.1
        let model = BloomModel(config: config, initialization: .bloom(std: 0.02), seed: 7)
        let names = model.namedParameters().map(\.name)
        #expect(names.contains("transformer.word_embeddings_layernorm.weight") == embeddingLayerNorm)
        #expect(names.contains("transformer.position_embeddings.weight") == (position == .learned))
        let ids: [Int32] = (0..<32).map { Int32(($0 * 7) % 61) }
        let opt = AdamW(parameters: model.namedParameters(), configuration: .init(weightDecay: 0))
        var losses: [Float] = []
        for step in 0..<8 {
            model.zeroGradients()
            let (_, loss) = model.loss(ids: ids, batch: 2, length: 16, options: .init(training: true, dropoutSeed: UInt64(step)))
            loss.backward()
            opt.step(learningRate: 3e-3)
            losses.append(loss.item())
        }
        #expect(losses.allSatisfy(\.isFinite) && losses.last! < losses.first!)
    }

    @Test func mixedPrecisionIsCloseToFloat32() {
        let model = BloomModel(config: Self.small, initialization: .huggingFace(), seed: 8)
        let ids: [Int32] = (0..<20).map { Int32(($0 * 11) % 61) }
        let (_, l32) = model.loss(ids: ids, batch: 2, length: 10)
        l32.backward()
        let g32 = model.wordEmbeddings.weight.grad!.toArray()
        model.zeroGradients()
        let (logits16, l16) = model.loss(ids: ids, batch: 2, length: 10, options: .init(precision: .bfloat16Mixed))
        l16.backward()
        #expect(logits16.toArray().allSatisfy { BFloat16.round($0) == $0 })   // logits carry bf16 values
        #expect(abs(l16.item() - l32.item()) < 2e-2)
        #expect(normRelativeError(model.wordEmbeddings.weight.grad!.toArray(), g32) < 5e-2)
    }

    @Test func initialisationSchemes() {
        let config = BloomConfiguration(vocabSize: 512, hiddenSize: 64, layerCount: 8, headCount: 4)
        func std(_ t: Tensor) -> Float {
            let v = t.toArray(); let m = v.reduce(0, +) / Float(v.count)
            return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Float(v.count)).squareRoot()
        }
        let bloom = BloomModel(config: config, initialization: .bloom(), seed: 1)
        #expect(abs(std(bloom.wordEmbeddings.weight) - 0.0048) < 2e-4)
        #expect(abs(std(bloom.blocks[0].attention.dense.weight) - 0.0048 / 4) < 1e-4)   // sqrt(2·8) = 4
        #expect(abs(std(bloom.blocks[0].mlp.down.weight) - 0.0048 / 4) < 1e-4)
        #expect(bloom.blocks[0].inputLayerNorm.weight.toArray().allSatisfy { $0 == 1 })
        let hf = BloomModel(config: config, initialization: .huggingFace(), seed: 1)
        #expect(abs(std(hf.blocks[0].mlp.down.weight) - 0.02) < 1e-3)
        #expect(hf.blocks[0].attention.queryKeyValue.bias!.toArray().allSatisfy { $0 == 0 })
    }

    @Test func trainingStepIsBitIdenticalRunToRun() {
        func run() -> [Float] {
            let model = BloomModel(config: Self.small, initialization: .bloom(std: 0.02), seed: 11)
            let ids: [Int32] = (0..<64).map { Int32(($0 * 13) % 61) }
            let (_, loss) = model.loss(ids: ids, batch: 4, length: 16, options: .init(training: true, dropoutSeed: 3))
            loss.backward()
            return [loss.item()] + model.namedParameters().flatMap { $0.tensor.grad!.toArray() }
        }
        #expect(run() == run())
    }
}
