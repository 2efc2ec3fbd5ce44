import Foundation
import Testing
@testable import PipelineSpec

/// Seeded mutations of valid manifests through the whole load + expand path (what the CLI runs):
/// nothing may trap, hang or fail with anything but a `ManifestError` that names file:line:col.
@Suite struct ManifestFuzzTests {
    let scratch = Scratch()
    static let seed: UInt64 = 0x7E11_15F0_220C_0014
    static let mutations = 2_000

    /// Small valid manifests that together use every manifest feature.
    static let seeds: [String] = [
        """
        trellis: 1
        name: fuzz-a
        params: {greeting: hello, n: 3, list: [a, b, c], model: {lr: 0.001, layers: 4}}
        stages:
          make:
            run: "echo ${params.greeting} > ${out}/a.txt"
            deps: [inputs/seed.txt]
            env: {GREETING: "${params.greeting}", N: 3}
            resources: {cores: 2, memory: 4GB, gpus: 0, time: "01:30:00", partition: short}
          sweep:
            run: "echo ${matrix.size} ${params.list} > ${out}/s.txt"
            matrix: {size: [1, 2, 3], seed: [7, 8]}
            publish: "results/sweep-${matrix.size}-${matrix.seed}"
            resources: {memory: 512MB, time: 90s}
          post: {run: "cat ${sweep.out}/s.txt ${make.out}/a.txt > ${out}/p", needs: [sweep, make]}
          table: {kind: collect, needs: ["sweep[*]"], with: {sort_by: loss}, publish: results/table}
        """,
        """
        trellis: 1
        params:
          base: &base {lr: 0.01, layers: 2, tags: [x, y]}
          copy: *base
          sizes: &sizes [1, 2]
        stages:
          train:
            kind: write
            with: {files: {lr.txt: "${params.base.lr}"}, model: {layers: "${params.copy.layers}", position: alibi}}
            matrix: {model.position: [alibi, rotary], size: *sizes}
            salt: v2
          report:
            run: "ls ${train[*].out} && echo $${HOME}"
            pass_env: [HOME, PATH]
            description: summary
        """,
        """
        trellis: 1
        extends: base.yaml
        name: child
        params: {greeting: bonjour}
        stages:
          b: {matrix: {k: [3]}}
          c: {run: "echo ${params.n} ${b.out}", publish: out/c}
        """,
        """
        # a comment
        trellis: 1
        description: |
          block text
        params:
          items:
            - one
            - two
          nested: {a: {b: {c: 1}}}
        stages:
          first:
            run: >
              echo ${params.nested.a.b.c}
              && echo ${params.items}
            needs: []
          second:
            run: "echo ${first.out}"
            resources: {time: 2h}
            matrix:
              x: [a, b]
              y:
                - 1
                - 2
            env:
              X: "${matrix.x}"
        """,
    ]

    static let base = """
        trellis: 1
        name: base
        params: {greeting: hi, n: 2}
        stages:
          a: {run: "echo ${params.greeting} > ${out}/f", resources: {cores: 1}}
          b: {run: "cat ${a.out}/f", matrix: {k: [1, 2]}}
        """

    /// `name.yaml:LINE:COL` somewhere in the text.
    static func hasLineAndColumn(_ text: String) -> Bool {
        text.components(separatedBy: ".yaml:").dropFirst().contains { rest in
            let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            return parts.count >= 2 && !parts[0].isEmpty && parts[0].allSatisfy(\.isNumber)
                && !parts[1].isEmpty && parts[1].prefix(while: \.isNumber).count > 0
        }
    }

    @Test func seedsAreValid() throws {
        scratch.write("base.yaml", Self.base)
        for seed in Self.seeds {
            scratch.write("m.yaml", seed)
            #expect(try !scratch.load().instances.isEmpty)
        }
    }

    @Test func mutatedManifestsFailOnlyWithLocatedErrors() {
        print("ManifestFuzzTests: seed 0x\(String(Self.seed, radix: 16)), \(Self.mutations) mutations")
        scratch.write("base.yaml", Self.base)
        var mutator = ManifestMutator(random: SplitMix64(seed: Self.seed))
        var outcomes: [String: Int] = [:]
        var slowest: (seconds: Double, case: Int) = (0, -1)
        let start = Date()
        for n in 0..<Self.mutations {
            let text = mutator.mutate(Self.seeds[n % Self.seeds.count])
            scratch.write("m.yaml", text)
            let caseStart = Date()
            do {
                _ = try scratch.load()
                outcomes["accepted", default: 0] += 1
            } catch let e as ManifestError {
                outcomes[String(String(describing: e).prefix { $0 != "(" }), default: 0] += 1
                let rendered = "\(e.location): \(e.message)"
                #expect(Self.hasLineAndColumn(rendered), "case \(n): no file:line:col in \"\(rendered)\"\n--- manifest ---\n\(text.prefix(2_000))")
                #expect(!e.message.isEmpty)
            } catch {
                Issue.record("case \(n): not a ManifestError: \(error)\n--- manifest ---\n\(text.prefix(2_000))")
            }
            let seconds = Date().timeIntervalSince(caseStart)
            if seconds > slowest.seconds { slowest = (seconds, n) }
        }
        let total = Date().timeIntervalSince(start)
        print("ManifestFuzzTests: \(String(format: "%.2f", total)) s in all, slowest case \(slowest.case) \(String(format: "%.3f", slowest.seconds)) s; outcomes \(outcomes.sorted { $0.key < $1.key })")
        #expect(slowest.seconds < 1, "case \(slowest.case) took \(slowest.seconds) s")
        #expect(outcomes["accepted", default: 0] > 0 && outcomes.count > 5, "the mutations should reach both success and many error kinds")
    }
}
