import PipelineSpec
import PromptTemplates

/// Few-shot contexts as lm-evaluation-harness builds them (`ContextSampler.get_context` and
/// `fewshot_context`): examples drawn by `random.Random(seed).sample(fewshot_docs, n)` (one generator
/// per task, used document after document), `n = k + 1` when the few-shot split is the scored split,
/// the scored document removed, then `description + Σ(text + target_delimiter + target +
/// fewshot_delimiter) + text`.
struct HarnessFewShot {
    let prompting: HarnessPrompting
    let pool: [HarnessDataset.Document]
    let poolName: String
    let shots: Int
    var random: PythonRandom

    init(prompting: HarnessPrompting, pool: [HarnessDataset.Document], poolName: String, shots: Int, seed: Int) throws {
        self.prompting = prompting; self.pool = pool; self.poolName = poolName; self.shots = shots
        random = PythonRandom(seed: seed)
        let draw = drawCount
        if shots > 0 && draw > pool.count {
            throw TaskFileError(prompting.task.location, task: prompting.task.name, prompt: prompting.prompt.name,
                                "\(shots)-shot needs \(draw) documents from the few-shot split '\(poolName)', which has \(pool.count)",
                                hint: "lower num_fewshot (--num-fewshot) or name a larger fewshot_split")
        }
    }

    /// The harness draws one extra document when few-shot examples come from the scored split.
    var drawCount: Int { prompting.task.fewshotSplit == prompting.task.testSplit ? shots + 1 : shots }

    mutating func context(for doc: HarnessDataset.Document, index: Int) throws -> String {
        var context = ""
        if let description = prompting.prompt.description {
            do { context = try description.render(doc) } catch let e as TemplateError {
                throw prompting.error("description", index, e.description)
            }
        }
        if shots > 0 {
            let drawn: [Int]
            if prompting.task.fewshotSampler == "first_n" { drawn = Array(0..<drawCount) } else { drawn = random.sample(populationSize: pool.count, count: drawCount) }
            let examples = drawn.map { pool[$0] }.filter { !Self.sameDocument($0, doc) }.prefix(shots)
            for example in examples {
                let exampleIndex = -1
                context += try prompting.questionText(example, index: exampleIndex)
                let target = try prompting.targetText(example, index: exampleIndex)
                if !target.isEmpty { context += prompting.prompt.targetDelimiter + target }
                context += prompting.prompt.fewshotDelimiter
            }
        }
        return context + (try prompting.questionText(doc, index: index))
    }

    /// Python's `dict.__eq__` (1 == 1.0 == True), as the harness compares a drawn example with the document.
    static func sameDocument(_ a: HarnessDataset.Document, _ b: HarnessDataset.Document) -> Bool {
        TemplateValue.dict(a).pythonEquals(.dict(b))
    }
}
