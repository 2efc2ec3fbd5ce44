import CanonicalJSON
import Testing
@testable import PipelineSpec

@Suite struct ScalarTypingTests {
    @Test func plainScalarsAreTypedLikeYAML11() throws {
        let node = try YAMLReader().read(text: """
            {a: 1, b: 0x1F, c: 1_000, d: 1.5e3, e: .inf, f: yes, g: ~, h: "1", i: 010, j: -2, k: 1.0, l: abc,
             m: 1e5x, n: null, o: '', p: !!str 5, q: off, r: 0b101, s: +3, t: 2024-01-01, u: .5, v: -.inf, w: 1.2.3}
            """, file: "t.yaml")
        let v = node.json.objectValue!
        #expect(v["a"] == .int(1) && v["b"] == .int(31) && v["c"] == .int(1000) && v["d"] == .double(1500))
        #expect(v["e"] == .double(.infinity) && v["f"] == .bool(true) && v["g"] == .null && v["h"] == .string("1"))
        #expect(v["i"] == .int(8) && v["j"] == .int(-2) && v["k"] == .double(1) && v["l"] == .string("abc"))
        #expect(v["m"] == .string("1e5x") && v["n"] == .null && v["o"] == .string("") && v["p"] == .string("5"))
        #expect(v["q"] == .bool(false) && v["r"] == .int(5) && v["s"] == .int(3) && v["t"] == .string("2024-01-01"))
        #expect(v["u"] == .double(0.5) && v["v"] == .double(-.infinity) && v["w"] == .string("1.2.3"))
    }
}
