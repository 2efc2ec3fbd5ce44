import Foundation
@testable import Scheduling
import Testing

@Suite struct StagingPoolTests {
    let work = NSTemporaryDirectory() + "trellis-staging-\(UUID().uuidString)"

    func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).sorted() }

    @Test func aConsumedFolderIsRecycledEmptyAndAnythingElseIsRemoved() throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let pool = StagingPool(work: work)
        try pool.take(work + "/run1-e1")
        #expect(names() == ["run1-e1"] && FileManager.default.fileExists(atPath: work + "/run1-e1/out"))
        try "a log line\n".write(toFile: work + "/run1-e1/log", atomically: false, encoding: .utf8)
        pool.give(work + "/run1-e1")
        #expect(names().count == 1 && names()[0].hasPrefix("spare-\(getpid())-"), "\(names())")
        // The next stage gets the spare: empty `out/`, empty log.
        try pool.take(work + "/run1-e2")
        #expect(names() == ["run1-e2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/run1-e2/out").isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: work + "/run1-e2/log")).isEmpty)
        // A folder that still holds output (a failed stage) or anything more is removed, not recycled.
        try "x".write(toFile: work + "/run1-e2/out/left.txt", atomically: false, encoding: .utf8)
        pool.give(work + "/run1-e2")
        try pool.take(work + "/run1-e3")
        try "{}".write(toFile: work + "/run1-e3/job.json", atomically: false, encoding: .utf8)
        pool.give(work + "/run1-e3")
        #expect(names().isEmpty, "\(names())")
        try pool.take(work + "/run1-e4")
        pool.give(work + "/run1-e4")
        pool.drain()
        #expect(names().isEmpty)
    }
}
