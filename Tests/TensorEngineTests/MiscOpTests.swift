import Foundation
import Testing
import TensorEngine
import EngineTestSupport

@Suite("Rotary, bfloat16, collectives, determinism")
struct MiscOpTests {
    @Test func rotaryGradientsAndPositionZeroIdentity() {
        let (b, t, nh, hs) = (1, 3, 2, 4)
        let x = TestData.uniform(b * t * 3 * nh * hs, seed: 40)
        let y = Tensor(x.map(Float.init), shape: [b, t, 3 * nh * hs]).rotaryQKV(heads: nh).toArray()
        #expect(TestData.maxAbsDiff(Array(y[0..<24]), Array(x[0..<24]).map(Float.init)) < 1e-7)   // t = 0
        let check = GradientCheck.run(inputs: [(x, [b, t, 3 * nh * hs])]) { $0[0].rotaryQKV(heads: nh) } reference: { v in
            var out = v[0]
            for ti in 0..<t { for h in 0..<nh { for part in 0..<2 { for d in 0..<(hs / 2) {
                let base = ti * 3 * nh * hs + (h * 3 + part) * hs
                let angle = Double(ti) / pow(10000, Double(2 * d) / Double(hs))
                let x1 = v[0][base + d], x2 = v[0][base + d + hs / 2]
                out[base + d] = x1 * cos(angle) - x2 * sin(angle)
                out[base + d + hs / 2] = x2 * cos(angle) + x1 * sin(angle)
            } } } }
            return out
        }
        #expect(check.maxError < 1e-4)
    }

    @Test func bfloat16RoundsToNearestEven() {
        #expect(BFloat16.round(1) == 1)
        #expect(BFloat16.round(1 + 0x1p-8) == 1)              // tie -> even (1.0)
        #expect(BFloat16.round(1 + 0x1p-7 + 0x1p-8) == 1 + 0x1p-6)  // tie -> even (up)
        #expect(BFloat16.round(3.14159265) == 3.140625)
    }

    /// Runs `body(rank)` on `count` dedicated threads (collectives block, so they must not
    /// share Swift concurrency's small cooperative pool) and returns results by rank.
    static func onThreads<R>(_ count: Int, _ body: @escaping @Sendable (Int) -> R) -> [R] {
        let lock = NSLock()
        nonisolated(unsafe) var results = [R?](repeating: nil, count: count)
        let done = DispatchGroup()
        for rank in 0..<count {
            done.enter()
            Thread {
                let r = body(rank)
                lock.lock(); results[rank] = r; lock.unlock()
                done.leave()
            }.start()
        }
        done.wait()
        return results.map { $0! }
    }

    @Test func inProcessAllReduceBroadcastGather() {
        let group = InProcessGroup(worldSize: 3)
        let results = Self.onThreads(3) { rank in
            let comm = group.communicator(rank: rank)
            let t = Tensor([Float(rank), 1], shape: [2])
            comm.allReduceSum(t)
            let b = Tensor([Float(rank * 10)], shape: [1])
            comm.broadcast(b, root: 2)
            let g = comm.allGather(Tensor([Float(rank)], shape: [1]), axis: 0)
            return [t.toArray(), b.toArray(), g.toArray()]
        }
        for r in results { #expect(r == [[3, 3], [20], [0, 1, 2]]) }
    }

    @Test func sendReceive() {
        let group = InProcessGroup(worldSize: 2)
        let results = Self.onThreads(2) { rank -> [Float] in
            let comm = group.communicator(rank: rank)
            if rank == 0 { comm.send(Tensor([4, 2], shape: [2]), to: 1); return [] }
            return comm.receive(from: 0).toArray()
        }
        #expect(results[1] == [4, 2])
    }

    @Test func largeOpsAreBitIdenticalRunToRun() {
        func run() -> [Float] {
            let x = TestData.tensor([512, 384], seed: 50, requiresGrad: true)
            let w = TestData.tensor([384], seed: 51, requiresGrad: true), b = TestData.tensor([384], seed: 52, requiresGrad: true)
            let y = x.layerNorm(weight: w, bias: b, eps: 1e-5).gelu()
            let loss = Tensor.crossEntropy(logits: y, targets: (0..<512).map { Int32($0 % 384) })
            loss.backward()
            return [loss.item()] + x.grad!.toArray() + w.grad!.toArray()
        }
        #expect(run() == run())
    }
}
