import FileIO
import Foundation
import Testing

@Suite struct FileContentsTests {
    @Test func readsWholeFilesOfEverySizeAndRefusesWhatIsNotAFile() throws {
        let dir = scratchDirectory()
        for size in [0, 1, 4095, 4096, 4097, 300_000] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try AtomicFile.write(bytes, to: "\(dir)/f\(size)")
            #expect(try FileContents.bytes("\(dir)/f\(size)") == bytes, "size \(size)")
            #expect(FileContents.tail("\(dir)/f\(size)", maxBytes: 1000) == Array(bytes.suffix(1000)), "tail of size \(size)")
        }
        #expect(FileContents.read("\(dir)/missing") == nil)
        #expect(throws: FileIOError.self) { try FileContents.bytes(dir) }
        #expect(FileContents.tail(dir, maxBytes: 10) == nil)
    }

    /// procfs reports size 0 for files that have content: the reader goes to EOF, not to st_size.
    @Test func readsFilesThatReportSizeZero() throws {
        let status = try #require(FileContents.read("/proc/self/status"))
        #expect(String(decoding: status, as: UTF8.self).contains("VmRSS:"))
    }
}
