import Foundation
import Testing
@testable import Evaluation

@Suite struct SampleStatisticsTests {
    /// [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, Σ(x − 5)² = 32, sample sd sqrt(32/7), stderr sqrt(32/7)/√8.
    @Test func meanAndStandardError() throws {
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        #expect(try SampleStatistics.mean(values) == 5)
        #expect(relativeDeviation(try SampleStatistics.sampleStandardDeviation(values), (32.0 / 7).squareRoot()) < 1e-15)
        #expect(relativeDeviation(try SampleStatistics.meanStandardError(values), (32.0 / 7).squareRoot() / 8.0.squareRoot()) < 1e-15)
    }

    @Test func tooFewSamplesAreRejected() {
        #expect(throws: SampleStatisticsError.notEnoughSamples(needed: 1, found: 0)) { try SampleStatistics.mean([]) }
        #expect(throws: SampleStatisticsError.notEnoughSamples(needed: 2, found: 1)) { try SampleStatistics.meanStandardError([1]) }
    }
}
