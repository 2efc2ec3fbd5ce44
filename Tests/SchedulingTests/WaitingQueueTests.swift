import Execution
@testable import Scheduling
import Testing

@Suite struct WaitingQueueTests {
    @Test func theEarliestItemThatFitsComesFirstAcrossResourceClasses() {
        var queue = WaitingQueue<String>()
        let small = ResourceRequest(cores: 1), big = ResourceRequest(cores: 4)
        queue.append("a", request: small)
        queue.append("B", request: big)
        queue.append("c", request: small)
        #expect(queue.popFirst(where: { _ in true })?.item == "a")
        #expect(queue.popFirst(where: { _ in true })?.item == "B", "order of arrival, not of class")
        queue.append("D", request: big)
        #expect(queue.popFirst(where: { $0.cores <= 2 })?.item == "c", "a later item that fits passes one that does not")
        #expect(queue.popFirst(where: { $0.cores <= 2 }) == nil)
        #expect(queue.popFirst(where: { _ in true })?.item == "D")
        #expect(queue.popFirst(where: { _ in true }) == nil)
    }

    @Test func aLongQueueKeepsItsOrderThroughCompaction() {
        var queue = WaitingQueue<Int>()
        var popped: [Int] = []
        for i in 0..<5000 {
            queue.append(i, request: ResourceRequest(cores: 1 + i % 2))
            if i % 3 == 0, let next = queue.popFirst(where: { _ in true }) { popped.append(next.item) }
        }
        while let next = queue.popFirst(where: { _ in true }) { popped.append(next.item) }
        #expect(popped == Array(0..<5000))
    }
}
