/// Hand-written scanners equivalent to the BigScience PII regexes (paraphrased, on scalar values),
/// each returning non-overlapping matches left to right like `finditer`.
enum PIIDetectors {
    /// EMAIL: `local@domain` where the local part has no whitespace or `@,?!;:)(`, the domain runs to
    /// the next whitespace or `,!?;`, and the match ends on a character that is not a quote, `@`,
    /// punctuation or `.`, followed by a boundary. Unlike the reference, angle brackets end an address
    /// (`<jane@example.org>` keeps its brackets).
    static func emails(_ t: UnsafeBufferPointer<UInt32>, into matches: inout [PIIMatch]) {
        var i = 0
        var lastEnd = 0
        while i < t.count {
            guard t[i] == 0x40 else { i += 1; continue }
            let at = i
            var start = at
            while start > lastEnd, !(PIIChars.isSpace(t[start - 1]) || PIIChars.isOneOf(t[start - 1], "@,?!;:)(<")) { start -= 1 }
            var maxEnd = at + 1
            while maxEnd < t.count, !(PIIChars.isSpace(t[maxEnd]) || PIIChars.isOneOf(t[maxEnd], ",!?;<>")) { maxEnd += 1 }
            var found = -1
            if start < at, PIIChars.leftOK(t, start, "'\"@,?!;:)(.<") {
                var e = maxEnd
                while e >= at + 2 {
                    let last = t[e - 1]
                    if !(PIIChars.isSpace(last) || PIIChars.isOneOf(last, "'\"@,?!;:)(.")), PIIChars.rightOK(t, e, "@,?!;:)(.>") { found = e; break }
                    e -= 1
                }
            }
            if found > 0 {
                matches.append(PIIMatch(tag: .email, start: start, end: found))
                lastEnd = found
                i = found
            } else {
                i += 1
            }
        }
    }

    /// USER: `@` after a boundary, then at least three characters that are not whitespace or `@,?!;:'")(`.
    /// Narrower than the reference: the name may only hold letters, digits, `_`, `.` and `-` (so
    /// `(@、&、<、>)` in a list of CJK punctuation is not a user name).
    static func users(_ t: UnsafeBufferPointer<UInt32>, into matches: inout [PIIMatch]) {
        let tables = ScalarTables.shared
        var i = 0
        while i < t.count {
            guard t[i] == 0x40, PIIChars.leftOK(t, i, "@,?!;:'\")(") else { i += 1; continue }
            var e = i + 1
            while e < t.count {
                let c = t[e]
                let cls = tables.cls(c)
                guard cls.contains(.letter) || cls.contains(.digit) || c == 0x5F || c == 0x2E || c == 0x2D else { break }
                e += 1
            }
            // A trailing '.' ends the sentence, not the name.
            while e > i + 1, t[e - 1] == 0x2E { e -= 1 }
            if e - i - 1 >= 3 {
                matches.append(PIIMatch(tag: .user, start: i, end: e))
                i = e
            } else {
                i += 1
            }
        }
    }

    /// IP_ADDRESS: an IPv4 dotted quad (octets ≤ 255) or a full/compressed IPv6 address, between
    /// boundaries, containing a digit and not shaped like a date. (`)` is accepted after the address,
    /// which the reference's right boundary omits.)
    static func ipAddresses(_ t: UnsafeBufferPointer<UInt32>, into matches: inout [PIIMatch]) {
        var i = 0
        while i < t.count {
            let c = t[i]
            guard PIIChars.isHex(c) || c == 0x3A, PIIChars.leftOK(t, i, "@?,!;:'\")(.") else { i += 1; continue }
            let rightSet: StaticString = "@,?!;:'\"(.)"
            var end = -1
            if let e = ipv4(t, i), PIIChars.rightOK(t, e, rightSet) {
                if !isHeadingNumber(t, i, e) { end = e }
            } else if let e = ipv6(t, i, rightSet: rightSet) { end = e }
            if end > i, (i..<end).contains(where: { PIIChars.isDigit(t[$0]) }), !PIIChars.looksLikeDate(t[i..<end]) {
                matches.append(PIIMatch(tag: .ipAddress, start: i, end: end))
                i = end
            } else {
                // Skip to the end of this token: a match can only start after a boundary.
                i += 1
            }
        }
    }

    /// A dotted number that opens a line and is followed by a title ("6.2.5.1. Pinning", "11.7.2.3 Setup")
    /// is section numbering, not an address (documentation is full of them; the reference does not check).
    private static func isHeadingNumber(_ t: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Bool {
        var b = start
        while b > 0, t[b - 1] == 0x20 || t[b - 1] == 0x09 { b -= 1 }
        guard b == 0 || t[b - 1] == 0x0A else { return false }
        var a = end
        if a < t.count, t[a] == 0x2E { a += 1 }
        guard a < t.count, t[a] == 0x20 || t[a] == 0x09 || t[a] == 0x200F else { return false }
        while a < t.count, t[a] == 0x20 || t[a] == 0x09 || t[a] == 0x200F { a += 1 }
        return a < t.count && ScalarTables.classOf(t[a]).contains(.letter)
    }

    private static func ipv4(_ t: UnsafeBufferPointer<UInt32>, _ start: Int) -> Int? {
        var i = start
        for octet in 0..<4 {
            var value = 0, digits = 0
            while i < t.count, t[i] >= 0x30, t[i] <= 0x39, digits < 4 { value = value * 10 + Int(t[i] - 0x30); digits += 1; i += 1 }
            guard (1...3).contains(digits), value <= 255 else { return nil }
            if octet < 3 {
                guard i < t.count, t[i] == 0x2E else { return nil }
                i += 1
            }
        }
        return i
    }

    /// The longest valid IPv6 prefix at `start` that is followed by a boundary.
    private static func ipv6(_ t: UnsafeBufferPointer<UInt32>, _ start: Int, rightSet: StaticString) -> Int? {
        var end = start
        while end < t.count, end - start < 45, PIIChars.isHex(t[end]) || t[end] == 0x3A { end += 1 }
        guard end - start >= 2 else { return nil }
        var e = end
        while e > start + 1 {
            if PIIChars.rightOK(t, e, rightSet), validIPv6(t[start..<e]) { return e }
            e -= 1
        }
        return nil
    }

    static func validIPv6(_ s: Slice<UnsafeBufferPointer<UInt32>>) -> Bool {
        let a = Array(s)
        var groups: [Int] = []   // hex digit counts
        var doubleColons = 0
        var i = 0
        if a.count >= 2, a[0] == 0x3A, a[1] == 0x3A { doubleColons = 1; i = 2 } else if a.first == 0x3A { return false }
        var current = 0
        while i < a.count {
            if a[i] == 0x3A {
                guard current > 0 else { return false }
                groups.append(current); current = 0
                if i + 1 < a.count, a[i + 1] == 0x3A {
                    doubleColons += 1
                    i += 2
                    continue
                }
                i += 1
                guard i < a.count else { return false }  // a single trailing colon
                continue
            }
            current += 1
            if current > 4 { return false }
            i += 1
        }
        if current > 0 { groups.append(current) }
        if doubleColons > 1 { return false }
        if doubleColons == 0 { return groups.count == 8 }
        return groups.count <= 7 && (a.count > 2 || groups.isEmpty)
    }
}
