import CorpusFormat
import Foundation

/// The documents of a corpus stage's output (`shards/<group>/*.jsonl`), per group (a language such
/// as `fr`, or a code group such as `code-python`), split into training and validation documents
/// by a hash of each document's id: the split depends only on the id and the percentage, so the
/// train and eval stages (and every rerun) agree on it without sharing files.
public struct CorpusSplit: Sendable {
    public struct Group: Sendable {
        public var name: String
        public var training: [String]
        public var validation: [String]
    }

    /// Groups sorted by name.
    public var groups: [Group]

    /// Reads every shard under `corpusFolder/shards`, keeping `groups` (all when nil).
    public static func load(corpusFolder: String, validationPercent: Double, groups wanted: [String]? = nil) throws -> CorpusSplit {
        let shardsFolder = corpusFolder + "/shards"
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: shardsFolder) else {
            throw TrainingError.missingInput(what: "a corpus (shards/)", searched: [corpusFolder])
        }
        let available = names.filter { name in
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: shardsFolder + "/" + name, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
        if let wanted {
            for name in wanted where !available.contains(name) {
                throw TrainingError.invalidConfiguration(field: "groups", problem: "the corpus has no group '\(name)' (it has: \(available.joined(separator: ", ")))")
            }
        }
        let chosen = wanted.map { Set($0) }
        var result: [Group] = []
        for name in available where chosen?.contains(name) ?? true {
            let folder = shardsFolder + "/" + name
            let files = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
            var group = Group(name: name, training: [], validation: [])
            for file in files {
                let path = folder + "/" + file
                let documents: [Document]
                do { documents = try DocumentFileReader.readShard(path).documents } catch {
                    throw TrainingError.badShard(path: path, problem: "\(error)")
                }
                for document in documents {
                    if isValidation(id: document.id, percent: validationPercent) {
                        group.validation.append(document.text)
                    } else {
                        group.training.append(document.text)
                    }
                }
            }
            result.append(group)
        }
        return CorpusSplit(groups: result)
    }

    /// Whether a document id falls in the validation share (Corpus' FNV-1a 64 of the id, in 1/10000ths).
    public static func isValidation(id: String, percent: Double) -> Bool {
        Double(fnv1a64(id.utf8) % 10_000) < percent * 100
    }
}

