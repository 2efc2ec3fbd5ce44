import CanonicalJSON
import Foundation
import Testing
@testable import PipelineSpec

@Suite struct ExpansionTests {
    let scratch = Scratch()

    let demo = """
        trellis: 1
        name: demo
        params: {n: 3, greeting: hello, model: {lr: 0.001}}
        stages:
          make:   {run: "echo ${params.greeting} > ${out}/a.txt", deps: [inputs/seed.txt]}
          double: {run: "cat ${make.out}/a.txt ${make.out}/a.txt > ${out}/b.txt", needs: [make]}
          sweep:
            run: "echo ${matrix.size} > ${out}/s.txt"
            matrix: {size: [1, 2, 3]}
          post: {run: "cat ${sweep.out}/s.txt > ${out}/p", needs: [sweep]}
          table: {kind: collect, needs: ["sweep[*]"], with: {sort_by: loss}}
          train: {kind: write, with: {files: {lr.txt: "${params.model.lr}"}}}
        """

    @Test func expandsTheIssueExample() throws {
        scratch.write("m.yaml", demo)
        let e = try scratch.load()
        #expect(e.manifest.name == "demo")
        #expect(e.instances.map(\.name) == ["make", "double", "sweep[size=1]", "sweep[size=2]", "sweep[size=3]",
                                            "post[size=1]", "post[size=2]", "post[size=3]", "table", "train"])
        // Fan out: each post member reads the matching sweep member.
        #expect(e["post[size=2]"]!.upstream == ["sweep[size=2]"])
        guard case .shell(let post) = e["post[size=2]"]!.action else { Issue.record("not shell"); return }
        #expect(post.symbolic == "cat ${sweep[size=2].out}/s.txt > ${out}/p")
        // Aggregate: table needs every member.
        #expect(e["table"]!.upstream == ["sweep[size=1]", "sweep[size=2]", "sweep[size=3]"])
        // Only referenced params enter an instance; matrix values are interpolated.
        #expect(e["make"]!.params == ["greeting": .string("hello")])
        #expect(e["double"]!.params.isEmpty)
        guard case .shell(let s3) = e["sweep[size=3]"]!.action else { return }
        #expect(s3.symbolic == "echo 3 > ${out}/s.txt")
        #expect(e["train"]!.params == ["model.lr": .double(0.001)])
        #expect(e["make"]!.deps.map(\.value) == ["inputs/seed.txt"])
    }

    @Test func outputReferenceImpliesNeed() throws {
        scratch.write("m.yaml", "trellis: 1\nstages:\n  a: {run: x}\n  b: {run: \"cat ${a.out}/f\"}\n")
        #expect(try scratch.load()["b"]!.upstream == ["a"])
    }

    @Test func builtinMatrixAxisSetsConfigPath() throws {
        scratch.write("m.yaml", """
            trellis: 1
            params: {layers: 4}
            stages:
              pretrain:
                kind: write
                with: {files: {a: x}, model: {layers: "${params.layers}", position: alibi}}
                matrix: {model.position: [alibi, rotary]}
            """)
        let e = try scratch.load()
        #expect(e.instances.map(\.name) == ["pretrain[model.position=alibi]", "pretrain[model.position=rotary]"])
        guard case .builtin(_, let config) = e.instances[1].action else { Issue.record("not builtin"); return }
        #expect(config[path: ["model", "position"]] == .string("rotary"))
        // A whole-string reference keeps the param's type.
        #expect(config[path: ["model", "layers"]] == .int(4))
    }

    @Test func aParamOnlyAnAxisOverridesDoesNotEnterTheMembersParams() throws {
        scratch.write("m.yaml", """
            trellis: 1
            params: {layers: 4, position: alibi, label: p}
            stages:
              pretrain:
                kind: write
                with: {files: {a: "${params.label}"}, model: {layers: "${params.layers}", position: "${params.position}"}}
                matrix: {model.position: [alibi, rotary]}
            """)
        let e = try scratch.load()
        // Editing params.position cannot change any member, so no member depends on it.
        #expect(e.instances.allSatisfy { $0.params.keys.sorted() == ["label", "layers"] }, "\(e.instances.map(\.params))")
        guard case .builtin(_, let config) = e.instances[1].action else { Issue.record("not builtin"); return }
        #expect(config[path: ["model", "position"]] == .string("rotary") && config[path: ["model", "layers"]] == .int(4))
    }

    @Test func twoAxesMakeAGridAndDownstreamInheritsBoth() throws {
        scratch.write("m.yaml", """
            trellis: 1
            stages:
              s: {run: "echo ${matrix.a} ${matrix.b}", matrix: {a: [1, 2], b: [x, y, z]}}
              t: {run: "cat ${s.out}/f", needs: [s]}
              u: {run: "ls ${s[*].out}"}
            """)
        let e = try scratch.load()
        #expect(e.members(of: "s").count == 6)
        #expect(e.members(of: "t").map(\.name).contains("t[a=2,b=y]"))
        #expect(e["t[a=2,b=y]"]!.upstream == ["s[a=2,b=y]"])
        guard case .shell(let u) = e["u"]!.action else { return }
        #expect(u.symbolic.hasPrefix("ls ${s[a=1,b=x].out} ${s[a=1,b=y].out}"))
    }

    @Test func extendsOverridesParamsAndStageFields() throws {
        scratch.write("experiments/base.yaml", demo)
        scratch.write("ablations/ab.yaml", """
            trellis: 1
            extends: ../experiments/base.yaml
            name: ablation
            params: {greeting: bonjour}
            stages:
              sweep: {matrix: {size: [7]}}
              table: {with: {metrics: [loss]}}
            """)
        let e = try scratch.load("ablations/ab.yaml")
        #expect(e.manifest.name == "ablation")
        #expect(e["make"]!.params == ["greeting": .string("bonjour")])
        #expect(e.members(of: "sweep").map(\.name) == ["sweep[size=7]"])
        guard case .builtin(_, let config) = e["table"]!.action else { return }
        #expect(config == .object(["sort_by": .string("loss"), "metrics": .array([.string("loss")])]))
        // Errors in the base file still point at the base file.
        scratch.write("ablations/bad.yaml", "trellis: 1\nextends: ../experiments/broken.yaml\n")
        scratch.write("experiments/broken.yaml", "trellis: 1\nstages:\n  a: {rn: x}\n")
        do { _ = try scratch.load("ablations/bad.yaml"); Issue.record("accepted") } catch let e as ManifestError {
            #expect(e.location.contains("experiments/broken.yaml:3"))
        }
    }

    @Test func escapedInterpolationStaysLiteral() throws {
        scratch.write("m.yaml", "trellis: 1\nstages:\n  a: {run: \"echo $${HOME} ${out}\"}\n")
        guard case .shell(let command) = try scratch.load()["a"]!.action else { return }
        #expect(command.render(ownOutput: "/o", outputs: [:]) == "echo ${HOME} /o")
        #expect(command.symbolic == "echo $${HOME} ${out}")
    }

    @Test func resourcesParse() throws {
        scratch.write("m.yaml", "trellis: 1\nstages:\n  a: {run: x, resources: {cores: 2, memory: 4GB, gpus: 1, time: 1h30m}}\n")
        // "1h30m" is not a duration we read; the error names the field.
        #expect(throws: ManifestError.self) { try scratch.load() }
        scratch.write("m.yaml", "trellis: 1\nstages:\n  a: {run: x, resources: {cores: 2, memory: 4GB, gpus: 1, time: \"01:30:00\"}}\n")
        let r = try scratch.load()["a"]!.resources
        #expect(r.cores == 2 && r.memoryBytes == 4 << 30 && r.gpus == 1 && r.timeLimitSeconds == 5400)
    }
}
