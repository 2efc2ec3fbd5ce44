import CanonicalJSON
import Foundation

/// Bounds the text that matrix expansion creates: member names and every string in which
/// `${…}` references were substituted (a string without references is shared, not copied, and
/// costs nothing). One string may not grow past `maxPerString` bytes, and all of them together
/// past `maxTotal`, so a small manifest that interpolates a large value into many members is
/// refused early instead of filling memory. Shared by the threads that resolve members.
final class InterpolationBudget: @unchecked Sendable {
    let maxTotal: Int
    let maxPerString: Int
    private let lock = NSLock()
    private var used = 0
    /// Text of `${params…}` references, rendered once for all members.
    private var renderedParams: [String: String] = [:]

    init(maxTotal: Int, maxPerString: Int) {
        self.maxTotal = maxTotal
        self.maxPerString = maxPerString
    }

    /// Refuses a single string of `bytes` bytes if it is too long; charges nothing.
    func checkString(_ bytes: Int, at location: SourceLocation, instance: String) throws {
        if bytes > maxPerString {
            throw ManifestError.interpolationTooLarge(location, instance: instance, limit: maxPerString, perString: true)
        }
    }

    /// Charges `bytes` of produced text (after checking it as one string).
    func charge(_ bytes: Int, at location: SourceLocation, instance: String) throws {
        try checkString(bytes, at: location, instance: instance)
        let exceeded = lock.withLock { () -> Bool in
            used += bytes
            return used > maxTotal
        }
        if exceeded { throw ManifestError.interpolationTooLarge(location, instance: instance, limit: maxTotal, perString: false) }
    }

    /// The display text of a params value, rendered at most once per reference.
    func renderedParam(_ reference: String, _ value: JSONValue) -> String {
        if let text = lock.withLock({ renderedParams[reference] }) { return text }
        let text = value.displayText
        lock.withLock { renderedParams[reference] = text }
        return text
    }
}
