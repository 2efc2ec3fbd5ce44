import Foundation

// source-digest OUTPUT --module NAME (--target NAME --root DIR --deps A,B FILE…)…
//
// Writes Swift source declaring `SourceDigests`: the SHA-256 of every file given (path relative
// to its target's folder, so the digest does not depend on where the checkout lies), each target's
// digest over its files and the targets it depends on. For the files of the module being built
// (`--module`), each file's digest and the modules it imports.
// Run by the SourceDigest build plugin; see docs/ARCHITECTURE.md ("What a builtin kind's key knows").
// SHA-256 comes from coreutils' `sha256sum`, not from the project's hasher: a build tool's
// dependencies are compiled a second time for the host, and swift-crypto would add minutes to
// every fresh build.

struct TargetFiles {
    var name: String
    var root = ""
    var dependencies: [String] = []
    var files: [String] = []
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("source-digest: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 3, arguments[1] == "--module" else { fail("usage: source-digest OUTPUT --module NAME (--target NAME --root DIR --deps LIST FILE…)…") }
let output = arguments.removeFirst()
arguments.removeFirst()
let module = arguments.removeFirst()
var targets: [TargetFiles] = []
while !arguments.isEmpty {
    let word = arguments.removeFirst()
    switch word {
    case "--target": targets.append(TargetFiles(name: arguments.removeFirst()))
    case "--root": targets[targets.count - 1].root = arguments.removeFirst()
    case "--deps": targets[targets.count - 1].dependencies = arguments.removeFirst().split(separator: ",").map(String.init)
    default:
        guard !targets.isEmpty else { fail("file \(word) before any --target") }
        targets[targets.count - 1].files.append(word)
    }
}

/// Every regular file at or below `path` (a resource may be a folder), sorted.
func regularFiles(at path: String) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("\(path) does not exist") }
    guard isDirectory.boolValue else { return [path] }
    let entries = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
    return entries.map { path + "/" + $0 }.filter {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: $0, isDirectory: &d) && !d.boolValue
    }.sorted()
}

func relative(_ path: String, to root: String) -> String {
    path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : (path as NSString).lastPathComponent
}

/// Runs `sha256sum` with `arguments` (and `input` on standard input); its output lines.
func sha256sum(_ arguments: [String], input: String? = nil) -> [Substring] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum", "--"] + arguments
    let output = Pipe(), stdin = Pipe()
    process.standardOutput = output
    if input != nil { process.standardInput = stdin }
    do { try process.run() } catch { fail("cannot run sha256sum: \(error)") }
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { fail("sha256sum exited with status \(process.terminationStatus)") }
    return String(decoding: data, as: UTF8.self).split(separator: "\n")
}

/// SHA-256 of each file, in one `sha256sum` call.
func digests(of files: [String]) -> [String: String] {
    guard !files.isEmpty else { return [:] }
    var result: [String: String] = [:]
    for (file, line) in zip(files, sha256sum(files)) { result[file] = String(line.prefix(64)) }
    guard result.count == files.count, result.values.allSatisfy({ $0.count == 64 }) else { fail("unexpected sha256sum output") }
    return result
}

/// SHA-256 of a text.
func digest(of text: String) -> String { String(sha256sum(["-"], input: text).first?.prefix(64) ?? "") }

var own: [String: String] = [:]
var dependencies: [String: [String]] = [:]
var moduleFiles: [(name: String, digest: String, imports: [String])] = []
for target in targets {
    var lines: [String] = []
    let files = Set(target.files.flatMap(regularFiles(at:))).sorted()
    let fileDigests = digests(of: files)
    for file in files {
        let digest = fileDigests[file]!
        let name = relative(file, to: target.root)
        lines.append("\(name)\t\(digest)")
        if target.name == module, file.hasSuffix(".swift") {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            let imports = text.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
                return words.count == 2 && words[0] == "import" ? String(words[1]) : nil
            }
            moduleFiles.append(((name as NSString).lastPathComponent, digest, imports.sorted()))
        }
    }
    own[target.name] = digest(of: lines.joined(separator: "\n"))
    dependencies[target.name] = target.dependencies.sorted()
}

func literal(_ s: String) -> String { "\"" + s + "\"" }
var text = """
    // Generated at build time by the SourceDigest plugin (Sources/source-digest). Do not edit.

    /// SHA-256 digests of the code this binary was built from.
    enum SourceDigests {
        /// Target → digest of its own files (relative path and content).
        static let own: [String: String] = [

    """
for name in own.keys.sorted() { text += "        \(literal(name)): \(literal(own[name]!)),\n" }
text += "    ]\n    /// Target → the targets of this package it depends on directly.\n    static let dependencies: [String: [String]] = [\n"
for name in dependencies.keys.sorted() { text += "        \(literal(name)): [\(dependencies[name]!.map(literal).joined(separator: ", "))],\n" }
text += "    ]\n    /// File of this module → (digest of its content, modules it imports).\n    static let files: [String: (digest: String, imports: [String])] = [\n"
for file in moduleFiles.sorted(by: { $0.name < $1.name }) {
    text += "        \(literal(file.name)): (\(literal(file.digest)), [\(file.imports.map(literal).joined(separator: ", "))]),\n"
}
text += "    ]\n}\n"
// Unchanged text is not rewritten, so the module is not recompiled for nothing.
if (try? String(contentsOfFile: output, encoding: .utf8)) != text {
    do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch { fail("\(error)") }
}
