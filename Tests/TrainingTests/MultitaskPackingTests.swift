import Testing
import Training

/// Megatron's xP3 packing: greedy rows, segment ids, positions restarting per example, loss weights
/// on targets only (1 or 1/span with norm_target_loss), inputs cut from the left, clear errors.
@Suite struct MultitaskPackingTests {
    let pad: Int32 = 3

    @Test func tokenizationPrependsASpaceAndAppendsEOS() {
        let e = MultitaskPacking.tokenize(inputs: "Q", targets: "A", eos: 2) { text in text.unicodeScalars.map { Int32($0.value) } }
        #expect(e.inputs == [81] && e.targets == [32, 65, 2])
    }

    @Test func greedyRowsWithSegmentsPositionsAndWeights() throws {
        let examples = [MultitaskPacking.Example(inputs: [10, 11, 12], targets: [20, 2]),       // 5 tokens
                        MultitaskPacking.Example(inputs: [13], targets: [21, 22, 2]),           // 4 tokens: fits (9 ≤ 10)
                        MultitaskPacking.Example(inputs: [14, 15], targets: [23, 2])]           // 4 tokens: new row
        let rows = try MultitaskPacking(sequenceLength: 10, padding: pad, normalizeTargetLoss: false).pack(examples)
        #expect(rows.count == 2)
        #expect(rows[0].tokens == [10, 11, 12, 20, 2, 13, 21, 22, 2, 3])
        #expect(rows[0].segments == [1, 1, 1, 1, 1, 2, 2, 2, 2, 0])
        #expect(rows[0].positions == [0, 1, 2, 3, 4, 0, 1, 2, 3, 0])
        #expect(rows[0].weights == [0, 0, 0, 1, 1, 0, 1, 1, 1, 0])
        #expect(rows[1].tokens == [14, 15, 23, 2, 3, 3, 3, 3, 3, 3] && rows[1].segments == [1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    }

    @Test func normalizedTargetLossMakesEveryExampleCountOnce() throws {
        let examples = [MultitaskPacking.Example(inputs: [10], targets: [20, 2]), MultitaskPacking.Example(inputs: [11], targets: [21, 22, 23, 2])]
        let row = try #require(try MultitaskPacking(sequenceLength: 8, padding: pad, normalizeTargetLoss: true).pack(examples).first)
        let perSegment = Dictionary(grouping: zip(row.segments, row.weights), by: \.0).mapValues { $0.reduce(0) { $0 + $1.1 } }
        #expect(abs(perSegment[1]! - 1) < 1e-6 && abs(perSegment[2]! - 1) < 1e-6 && (perSegment[0] ?? 0) == 0)
    }

    @Test func longInputsKeepTheirEndAndTooLongTargetsAreErrors() throws {
        let packer = MultitaskPacking(sequenceLength: 6, padding: pad, normalizeTargetLoss: false)
        let row = try #require(try packer.pack([MultitaskPacking.Example(inputs: [1, 2, 3, 4, 5, 6], targets: [20, 2])]).first)
        #expect(row.tokens == [3, 4, 5, 6, 20, 2])
        #expect(throws: MultitaskPacking.PackingError.targetTooLong(example: 1, tokens: 6, sequenceLength: 6)) {
            try packer.pack([MultitaskPacking.Example(inputs: [1], targets: [2, 2]), MultitaskPacking.Example(inputs: [1], targets: [20, 21, 22, 23, 24, 2])])
        }
        #expect(throws: MultitaskPacking.PackingError.emptyTarget(example: 0)) { try packer.pack([MultitaskPacking.Example(inputs: [1], targets: [])]) }
    }
}
