@testable import LMEvaluation
import Testing

/// CPython 3.11's `random.Random(seed)` (values printed by the interpreter): the few-shot draws
/// depend on the same Mersenne Twister stream and the same `sample` algorithm (pool and set paths).
@Suite struct PythonRandomTests {
    @Test func matchesCPython() {
        var r = PythonRandom(seed: 1234)
        #expect([r.next32(), r.next32(), r.next32()] == [4_150_886_329, 3_342_196_574, 1_892_932_127])
        var s = PythonRandom(seed: 1234)
        #expect(s.sample(populationSize: 10, count: 3) == [7, 1, 0])
        #expect(s.sample(populationSize: 10, count: 3) == [1, 0, 9])
        #expect(s.sample(populationSize: 100, count: 7) == [12, 98, 45, 30, 2, 3, 44])   // the set algorithm (n > setsize)
        #expect(s.sample(populationSize: 5, count: 5) == [4, 3, 2, 1, 0])
        var big = PythonRandom(seed: (1 << 40) + 5)                                      // a seed of two 32-bit words
        #expect(big.sample(populationSize: 1000, count: 4) == [516, 529, 275, 679])
        var zero = PythonRandom(seed: 0)
        #expect(zero.sample(populationSize: 3, count: 2) == [1, 2])
    }
}
