import ContentStore
import Foundation

// source-digest OUTPUT --module NAME (--target NAME --root DIR --deps A,B FILE…)…
//
// Writes Swift source declaring `SourceDigests`: the SHA-256 of every file given (path relative
// to its target's folder, so the digest does not depend on where the checkout lies), each target's
// digest over its files and the targets it depends on. For the files of the module being built
// (`--module`), each file's digest and the modules it imports.
// Run by the SourceDigest build plugin; see docs/ARCHITECTURE.md ("What a builtin kind's key knows").

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

var own: [String: String] = [:]
var dependencies: [String: [String]] = [:]
var moduleFiles: [(name: String, digest: String, imports: [String])] = []
for target in targets {
    var lines: [String] = []
    for file in Set(target.files.flatMap(regularFiles(at:))).sorted() {
        let digest = try FileHasher.digest(ofFile: file).hex
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
    own[target.name] = Digest.of(string: lines.joined(separator: "\n")).hex
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
    do { try AtomicFile.write(text, to: output) } catch { fail("\(error)") }
}
