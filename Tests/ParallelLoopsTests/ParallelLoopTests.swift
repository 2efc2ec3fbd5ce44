import Foundation
import ParallelLoops
import Testing

@Suite struct ParallelLoopTests {
    @Test(arguments: [0, 1, 2, 31, 32, 1000, 10_007])
    func mapKeepsIndexOrderWhateverTheBlocksAndWorkers(_ count: Int) {
        for (workers, block) in [(1, nil), (2, nil), (4, 1), (3, 7), (16, 256)] as [(Int, Int?)] {
            #expect(ParallelLoop.map(count: count, workers: workers, block: block) { $0 * $0 } == (0..<count).map { $0 * $0 })
        }
        #expect(ParallelLoop.map(Array((0..<count).reversed()), workers: 4, block: 3) { $0 + 1 } == (0..<count).reversed().map { $0 + 1 })
    }

    @Test func everyIndexIsVisitedOnceByAWorkerInRange() {
        let lock = NSLock()
        var seen = [Int](repeating: 0, count: 5000)
        var workersSeen = Set<Int>()
        ParallelLoop.forEachBlock(count: 5000, workers: 3, block: 17) { worker, range in
            lock.withLock { workersSeen.insert(worker); for i in range { seen[i] += 1 } }
        }
        #expect(seen.allSatisfy { $0 == 1 })
        #expect(workersSeen.isSubset(of: [0, 1, 2]))
    }

    struct Failure: Error, Equatable { var index: Int }

    @Test func aThrowingMapReportsTheLowestFailingIndex() throws {
        for workers in [1, 2, 8] {
            #expect(throws: Failure(index: 300)) {
                _ = try ParallelLoop.mapThrowing(count: 10_000, workers: workers, block: 5) { i in
                    if i >= 300 && i % 100 == 0 { throw Failure(index: i) }
                    return i
                }
            }
        }
        #expect(try ParallelLoop.mapThrowing(count: 100, workers: 4) { $0 } == Array(0..<100))
        // Higher indices that fail later than the lowest one must not replace it.
        #expect(throws: Failure(index: 300)) {
            _ = try ParallelLoop.mapThrowing(count: 2000, workers: 8, block: 5) { i in
                if i == 300 { usleep(5_000); throw Failure(index: i) }
                if i > 300 && i % 5 == 1 { usleep(20_000); throw Failure(index: i) }
                return i
            }
        }
    }
}
