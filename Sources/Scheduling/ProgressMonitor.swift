import Execution
import Foundation

/// Follows the progress files of the stages running now and tells the reporter when one has news.
/// A stage is watched from the moment its executor starts until it ends; every `interval` seconds
/// each watched file is checked (one `open` + `fstat`, a read only when it grew), so the cost is
/// per running stage, independent of the graph's size.
final class ProgressMonitor: @unchecked Sendable {
    private let reporter: any RunReporter
    private let lock = NSLock()
    private var watched: [String: ProgressFile.Reader] = [:]
    private var timer: DispatchSourceTimer?

    init(reporter: any RunReporter, interval: Double) {
        self.reporter = reporter
        let t = DispatchSource.makeTimerSource(queue: .global())
        t.schedule(deadline: .now() + interval, repeating: interval)
        t.setEventHandler { [weak self] in self?.poll() }
        t.resume()
        timer = t
    }

    deinit { timer?.cancel() }

    func watch(stage: String, path: String) {
        lock.withLock { watched[stage] = ProgressFile.Reader(path: path) }
    }

    /// Stops watching, after one last look (a line written just before the stage ended is reported).
    func unwatch(stage: String) {
        let reader = lock.withLock { watched.removeValue(forKey: stage) }
        if var reader, let progress = reader.poll() { reporter.report(.progress(stage: stage, progress: progress)) }
    }

    func stop() {
        timer?.cancel()
        lock.withLock { watched.removeAll() }
    }

    private func poll() {
        // Readers are taken out while polled, so `unwatch` never waits for file I/O under the lock.
        let readers = lock.withLock { watched }
        var news: [(String, StageProgress)] = []
        var advanced: [String: ProgressFile.Reader] = [:]
        for (stage, var reader) in readers {
            if let progress = reader.poll() { news.append((stage, progress)) }
            advanced[stage] = reader
        }
        lock.withLock {
            for (stage, reader) in advanced where watched[stage] != nil { watched[stage] = reader }
        }
        for (stage, progress) in news { reporter.report(.progress(stage: stage, progress: progress)) }
    }
}
