import Foundation
import Models
import TensorEngine
import Training

/// Scores rows that share their unscored prefix (a multiple-choice question before each choice)
/// by running the prefix once through the model's KV cache and each continuation from a copy of it;
/// the continuations' hidden states are projected onto the vocabulary together, in large products.
/// Rows without a partner go to `batched`.
enum PrefixSharing {
    /// The prefix computed once: every token before the position that predicts the first scored token.
    static func prefix(_ row: TokenScorer.Row) -> ArraySlice<Int32> {
        let first = row.scored.firstIndex(of: true) ?? row.ids.count
        return row.ids[..<max(0, first - 1)]
    }

    /// Runs of consecutive rows with the same non-empty prefix and something to score (singletons for
    /// the rest: an empty continuation, as a glued choice can give, is the batched path's 0 and greedy).
    static func groups(_ rows: [TokenScorer.Row]) -> [[Int]] {
        func shareable(_ row: TokenScorer.Row) -> Bool { row.scored.contains(true) && !prefix(row).isEmpty }
        var groups: [[Int]] = []
        var index = 0
        while index < rows.count {
            var group = [index]
            let p = prefix(rows[index])
            while index + group.count < rows.count, shareable(rows[index]), shareable(rows[index + group.count]),
                  prefix(rows[index + group.count]) == p { group.append(index + group.count) }
            groups.append(group)
            index += group.count
        }
        return groups
    }

    /// Hidden-state rows projected per product.
    static let projectionRows = 512

    static func score(_ rows: [TokenScorer.Row], model: BloomModel, batched: ([TokenScorer.Row]) -> [TokenScorer.Score],
                      onScored: (Int) -> Void) -> [TokenScorer.Score] {
        let groups = groups(rows)
        var out = [TokenScorer.Score?](repeating: nil, count: rows.count)
        let lone = groups.filter { $0.count == 1 }.map { $0[0] }
        for (i, score) in zip(lone, batched(lone.map { rows[$0] })) { out[i] = score }

        // Hidden states of every scored position, with the row it belongs to and its target token.
        let c = model.config.hiddenSize, v = model.config.vocabSize
        var hidden: [Float] = [], owners: [Int] = [], targets: [Int32] = []
        var totals: [Int: (sum: Double, count: Int, greedy: Bool)] = [:]
        func project() {
            let n = owners.count
            guard n > 0 else { return }
            let logits = model.vocabularyLogits(hidden, rows: n)
            var lse = [Float](repeating: 0, count: n)
            logits.withUnsafeBufferPointer { l in
                _ = targets.withUnsafeBufferPointer { t in
                    lse.withUnsafeMutableBufferPointer { s in
                        Engine.backend.crossEntropyForward(logits: l.baseAddress!, targets: t.baseAddress!, ignoreIndex: -100, logSumExp: s.baseAddress!,
                                                           dlogits: nil, gradScale: 0, rows: n, cols: v)
                    }
                }
                for k in 0..<n {
                    let x = l.baseAddress! + k * v, target = Int(targets[k])
                    var best = 0
                    for j in 1..<v where x[j] > x[best] { best = j }
                    var entry = totals[owners[k]] ?? (0, 0, true)
                    entry.sum += Double(x[target]) - Double(lse[k])
                    entry.count += 1
                    entry.greedy = entry.greedy && best == target
                    totals[owners[k]] = entry
                }
            }
            hidden.removeAll(keepingCapacity: true); owners.removeAll(keepingCapacity: true); targets.removeAll(keepingCapacity: true)
        }
        for group in groups where group.count > 1 {
            let shared = prefix(rows[group[0]])
            let cache = KVCache(layers: model.config.layerCount, heads: model.config.headCount)
            _ = model.cachedHiddenStates(Array(shared), cache: cache, allPositions: false)
            for i in group {
                let row = rows[i]
                let inputs = Array(row.ids[shared.count..<(row.ids.count - 1)])      // from the token before the first scored one
                let states = model.cachedHiddenStates(inputs, cache: cache.copy(), allPositions: true)
                for (k, t) in (shared.count + 1..<row.ids.count).enumerated() where row.scored[t] {
                    hidden.append(contentsOf: states[(k * c)..<((k + 1) * c)])
                    owners.append(i); targets.append(row.ids[t])
                }
                if owners.count >= projectionRows { project() }
            }
            onScored(group.count)
        }
        project()
        for (i, t) in totals { out[i] = TokenScorer.Score(logLikelihood: t.sum, tokens: t.count, greedy: t.greedy) }
        return out.map { $0 ?? TokenScorer.Score(logLikelihood: 0, tokens: 0) }
    }
}
