import Foundation
import Testing
@testable import Report

@Suite struct NiceTicksTests {
    @Test func unitIntervalStepsByTwoTenths() {
        let ticks = NiceTicks.linear(min: 0, max: 1, target: 6)
        #expect(ticks.values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(ticks.values.map(ticks.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func oddRangeGetsEnclosingRoundBounds() {
        let ticks = NiceTicks.linear(min: 3.7, max: 12.1, target: 6)
        #expect(ticks.values == [2, 4, 6, 8, 10, 12, 14])
        #expect(ticks.lower <= 3.7 && ticks.upper >= 12.1)
        #expect(ticks.label(4) == "4")
    }

    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for (low, high) in [(0.0, 0.037), (-5.5, 5.5), (1e3, 7.7e4), (2.31, 2.58), (0, 499)] {
            let ticks = NiceTicks.linear(min: low, max: high, target: 6)
            let step = ticks.values[1] - ticks.values[0]
            let mantissa = step / pow10(floorLog10(step))
            #expect([1.0, 2, 5, 10].contains { abs($0 - mantissa) < 1e-6 }, "step \(step) for \(low)…\(high)")
            #expect(ticks.lower <= low && ticks.upper >= high)
            #expect((3...11).contains(ticks.values.count))
        }
    }

    @Test func tickValuesCarryNoBinaryNoise() {
        let ticks = NiceTicks.linear(min: 0.1, max: 0.7, target: 7)
        #expect(ticks.values.contains(0.3))
        #expect(ticks.values.map(ticks.label).allSatisfy { $0.count <= 4 })
    }

    @Test func degenerateRangesStillGiveAnAxis() {
        let flat = NiceTicks.linear(min: 5, max: 5)
        #expect(flat.lower < 5 && flat.upper > 5)
        let zero = NiceTicks.linear(min: 0, max: 0)
        #expect(zero.lower < 0 && zero.upper > 0)
        let broken = NiceTicks.linear(min: .nan, max: .infinity)
        #expect(broken.lower == 0 && broken.upper == 1)
    }

    @Test func logarithmicTicksWithinOneDecade() {
        let ticks = NiceTicks.logarithmic(min: 2.3, max: 9.1)
        #expect(ticks.values == [2, 3, 5, 7, 10])
    }

    @Test func logarithmicTicksAcrossDecades() {
        let ticks = NiceTicks.logarithmic(min: 0.004, max: 37)
        #expect(ticks.values == [0.001, 0.01, 0.1, 1, 10, 100])
        #expect(ticks.values.map(ticks.label) == ["0.001", "0.01", "0.1", "1", "10", "100"])
        let tiny = NiceTicks.logarithmic(min: 3e-7, max: 0.02)
        #expect(tiny.values.map(tiny.label) == ["1e-7", "1e-6", "1e-5", "1e-4", "1e-3", "1e-2", "1e-1"])
        let narrow = NiceTicks.logarithmic(min: 0.3, max: 40)
        #expect(narrow.values.map(narrow.label) == ["0.2", "0.5", "1", "2", "5", "10", "20", "50"])
    }

    private func floorLog10(_ v: Double) -> Double { (log10(v) + 1e-9).rounded(.down) }
    private func pow10(_ e: Double) -> Double { pow(10, e) }
}
