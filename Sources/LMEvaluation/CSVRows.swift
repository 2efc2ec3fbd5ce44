import PromptTemplates

/// CSV with a header row (RFC 4180 quoting), typed per column as pandas types it for `datasets`:
/// a column whose cells are all integers is int, all numbers float, else text; empty cells are None.
enum CSVRows {
    static func documents(_ bytes: [UInt8], file: String) throws -> [HarnessDataset.Document] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw EvalError.badTaskFile(path: file, line: 1, problem: "not UTF-8 text")
        }
        let records = try parse(text, file: file)
        guard let header = records.first else { return [] }
        let rows = Array(records.dropFirst()).filter { !($0.count == 1 && $0[0].isEmpty) }
        for (i, row) in rows.enumerated() where row.count != header.count {
            throw EvalError.badTaskFile(path: file, line: i + 2, problem: "row has \(row.count) fields, the header \(header.count)")
        }
        let columnTypes = header.indices.map { c -> String in
            let cells = rows.map { $0[c] }.filter { !$0.isEmpty }
            if !cells.isEmpty && cells.allSatisfy({ Int($0) != nil }) { return "int" }
            if !cells.isEmpty && cells.allSatisfy({ Double($0) != nil }) { return "float" }
            return "str"
        }
        return rows.map { row in
            var document: HarnessDataset.Document = [:]
            for (c, name) in header.enumerated() {
                let cell = row[c]
                if cell.isEmpty { document[name] = TemplateValue.none; continue }
                switch columnTypes[c] {
                case "int": document[name] = .int(Int(cell)!)
                case "float": document[name] = .double(Double(cell)!)
                default: document[name] = .string(cell)
                }
            }
            return document
        }
    }

    static func parse(_ text: String, file: String) throws -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var inQuotes = false, line = 1
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if scalars.first == "\"" { field += "\""; scalars.removeFirst() } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": record.append(field); field = ""
            case "\r": continue
            case "\n":
                record.append(field); records.append(record); record = []; field = ""; line += 1
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw EvalError.badTaskFile(path: file, line: line, problem: "a quoted field is never closed") }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}
