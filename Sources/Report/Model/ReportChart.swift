/// A line chart: one or more series over a shared x axis (e.g. loss against step).
public struct ReportChart: Codable, Sendable, Equatable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Draws y on a logarithmic scale; points with y ≤ 0 are then skipped.
    public var logY: Bool
    public var series: [ReportSeries]

    public init(title: String, xLabel: String, yLabel: String, logY: Bool = false, series: [ReportSeries]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logY = logY
        self.series = series
    }
}

/// One named line. Points are drawn in the order given; a non-finite point leaves a gap.
public struct ReportSeries: Codable, Sendable, Equatable {
    public var label: String
    public var points: [ReportPoint]

    public init(label: String, points: [ReportPoint]) {
        self.label = label
        self.points = points
    }
}

/// One (x, y) sample. Encodes as a two-element JSON array; a non-finite coordinate encodes as
/// `null` and decodes back as NaN, so a document with divergent losses still round-trips through JSON.
public struct ReportPoint: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Both coordinates are finite, so the point can be drawn.
    public var isFinite: Bool { x.isFinite && y.isFinite }

    public init(from decoder: Decoder) throws {
        var container = try decoder.unkeyedContainer()
        x = try container.decodeNil() ? .nan : try container.decode(Double.self)
        y = try container.decodeNil() ? .nan : try container.decode(Double.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.unkeyedContainer()
        for value in [x, y] {
            if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
        }
    }

    /// NaN equals NaN here, so a decoded document compares equal to the one encoded.
    public static func == (a: ReportPoint, b: ReportPoint) -> Bool {
        func same(_ p: Double, _ q: Double) -> Bool { p == q || (p.isNaN && q.isNaN) }
        return same(a.x, b.x) && same(a.y, b.y)
    }
}
