import FileIO
import Foundation

/// Which stage keys have a batch job out, persisted (`slurm/jobs.json` in the store, format
/// `trellis-slurm-jobs` v1) so that a restarted `trellis` re-attaches instead of resubmitting.
public final class SlurmJobRegistry: @unchecked Sendable {
    struct Entry: Codable, Equatable {
        var jobID: String
        var outputDirectory: String
        var logPath: String
    }

    private struct File: Codable {
        var format = "trellis-slurm-jobs"
        var version = 1
        var jobs: [String: Entry]
    }

    let path: String
    private let lock = NSLock()

    init(path: String) { self.path = path }

    func entry(forKey key: String) -> Entry? { lock.withLock { load()[key] } }

    func record(_ entry: Entry, forKey key: String) { update { $0[key] = entry } }

    func remove(key: String) { update { $0[key] = nil } }

    /// The output folders of the jobs registered in the store's Slurm state folder: staging that a
    /// job still out (or finished, waiting to be adopted) writes to, which cleanup must keep.
    public static func outputDirectories(stateDirectory: String) -> [String] {
        let registry = SlurmJobRegistry(path: stateDirectory + "/jobs.json")
        return registry.lock.withLock { registry.load().values.map(\.outputDirectory) }
    }

    private func update(_ change: (inout [String: Entry]) -> Void) {
        lock.withLock {
            var jobs = load()
            change(&jobs)
            if let data = try? JSONEncoder().encode(File(jobs: jobs)) { try? AtomicFile.write(Array(data), to: path) }
        }
    }

    /// An unreadable or foreign file counts as empty: at worst a job is submitted again.
    private func load() -> [String: Entry] {
        guard let data = FileContents.read(path), let file = try? JSONDecoder().decode(File.self, from: Data(data)),
              file.format == "trellis-slurm-jobs", file.version == 1 else { return [:] }
        return file.jobs
    }
}
