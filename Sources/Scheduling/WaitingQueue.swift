import Execution

/// Stages whose cache decision is made (a miss) and that wait for room in the resource pool, in
/// the order they became ready. Kept per distinct resource request, so choosing the next stage that
/// fits costs O(distinct requests), not O(waiting stages): a 100,000-member sweep of identical
/// members is one class, and each completion starts the next member without scanning the rest.
struct WaitingQueue<Item> {
    private struct Class {
        var items: [(sequence: Int, item: Item)] = []
        var head = 0
        var isEmpty: Bool { head == items.count }
    }

    private var classes: [ResourceRequest: Class] = [:]
    private var nextSequence = 0

    mutating func append(_ item: Item, request: ResourceRequest) {
        classes[request, default: Class()].items.append((nextSequence, item))
        nextSequence += 1
    }

    /// Removes and returns the earliest item whose request `fits`, or nil when none does.
    mutating func popFirst(where fits: (ResourceRequest) -> Bool) -> (item: Item, request: ResourceRequest)? {
        var best: (request: ResourceRequest, sequence: Int)?
        for (request, queue) in classes where !queue.isEmpty {
            let sequence = queue.items[queue.head].sequence
            if sequence < (best?.sequence ?? .max), fits(request) { best = (request, sequence) }
        }
        guard let (request, _) = best else { return nil }
        var queue = classes.removeValue(forKey: request)!
        let item = queue.items[queue.head].item
        queue.head += 1
        if queue.head > 1024 && queue.head * 2 > queue.items.count { queue.items.removeFirst(queue.head); queue.head = 0 }
        if !queue.isEmpty { classes[request] = queue }
        return (item, request)
    }
}
