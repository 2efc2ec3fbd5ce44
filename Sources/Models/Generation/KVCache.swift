/// Keys and values of past positions, per layer and head, for incremental decoding of one
/// sequence. Layout per (layer, head): positions × head size, appended in order.
public final class KVCache {
    var keys: [[[Float]]]
    var values: [[[Float]]]
    /// Number of positions already processed.
    public private(set) var length = 0

    public init(layers: Int, heads: Int) {
        keys = Array(repeating: Array(repeating: [], count: heads), count: layers)
        values = keys
    }

    func append(layer: Int, head: Int, key: UnsafePointer<Float>, value: UnsafePointer<Float>, headSize: Int) {
        keys[layer][head].append(contentsOf: UnsafeBufferPointer(start: key, count: headSize))
        values[layer][head].append(contentsOf: UnsafeBufferPointer(start: value, count: headSize))
    }

    func advance(by n: Int) { length += n }

    /// An independent copy (arrays are copied on first write), to continue one prefix several ways.
    public func copy() -> KVCache {
        let c = KVCache(layers: keys.count, heads: keys.first?.count ?? 0)
        c.keys = keys; c.values = values; c.length = length
        return c
    }
}
