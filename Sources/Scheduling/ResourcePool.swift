import Execution
import PipelineSpec

/// Cores, memory and GPU slots shared by the stages running at once. A stage that asks for more
/// than the whole pool runs alone (with everything) rather than never.
struct ResourcePool {
    let totalCores: Int
    let totalMemory: Int64
    let totalGPUs: Int
    private(set) var usedCores = 0
    private(set) var usedMemory: Int64 = 0
    private(set) var freeGPUs: [Int]
    private(set) var running = 0

    /// Jobs go to a cluster that does its own resource accounting (Slurm): the pool only bounds
    /// how many are out at once, and requests pass through unchanged.
    let slotsOnly: Bool

    init(cores: Int, memoryBytes: Int64, gpus: Int) {
        totalCores = max(1, cores)
        totalMemory = memoryBytes
        totalGPUs = gpus
        freeGPUs = Array(0..<gpus)
        slotsOnly = false
    }

    init(slots: Int) {
        totalCores = max(1, slots)
        totalMemory = 0
        totalGPUs = 0
        freeGPUs = []
        slotsOnly = true
    }

    /// What the request becomes on this pool (clamped to the whole pool).
    func clamped(_ r: ResourceRequest) -> ResourceRequest {
        if slotsOnly { return r }
        var c = r
        c.cores = min(max(1, r.cores), totalCores)
        c.memoryBytes = totalMemory > 0 ? min(r.memoryBytes, totalMemory) : 0
        return c
    }

    func fits(_ request: ResourceRequest) -> Bool {
        if slotsOnly { return running < totalCores }
        let r = clamped(request)
        if running == 0 { return r.gpus <= freeGPUs.count }
        return usedCores + r.cores <= totalCores && (totalMemory == 0 || usedMemory + r.memoryBytes <= totalMemory) && r.gpus <= freeGPUs.count
    }

    /// Takes the resources; returns the GPU ids assigned.
    mutating func acquire(_ request: ResourceRequest) -> [Int] {
        if slotsOnly { running += 1; return [] }
        let r = clamped(request)
        usedCores += r.cores
        usedMemory += r.memoryBytes
        running += 1
        let gpus = Array(freeGPUs.prefix(r.gpus))
        freeGPUs.removeFirst(r.gpus)
        return gpus
    }

    mutating func release(_ request: ResourceRequest, gpus: [Int]) {
        if slotsOnly { running -= 1; return }
        let r = clamped(request)
        usedCores -= r.cores
        usedMemory -= r.memoryBytes
        running -= 1
        freeGPUs = (freeGPUs + gpus).sorted()
    }
}

extension StageInstance {
    /// What the resource pool (or the cluster) is asked for.
    var resourceRequest: ResourceRequest {
        ResourceRequest(cores: resources.cores, memoryBytes: resources.memoryBytes, gpus: resources.gpus,
                        timeLimitSeconds: resources.timeLimitSeconds, partition: resources.partition)
    }
}
