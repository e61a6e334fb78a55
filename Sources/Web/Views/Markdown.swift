/// A small Markdown renderer for scenario text that never lets raw HTML through: every
/// character of the source is escaped first, then headings, lists, paragraphs, fenced code,
/// `code`, **bold**, *emphasis* and http(s) links are added as markup.
enum Markdown {
    static func html(_ source: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?
        var code: [String]?

        func flushParagraph() {
            if !paragraph.isEmpty { out.append("<p>\(inline(paragraph.joined(separator: " ")))</p>") }
            paragraph = []
        }
        func flushList() {
            if let l = list {
                let tag = l.ordered ? "ol" : "ul"
                out.append("<\(tag)>" + l.items.map { "<li>\(inline($0))</li>" }.joined() + "</\(tag)>")
            }
            list = nil
        }

        for raw in source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                if let lines = code {
                    out.append("<pre><code>\(escape(lines.joined(separator: "\n")))</code></pre>")
                    code = nil
                } else {
                    flushParagraph()
                    flushList()
                    code = []
                }
                continue
            }
            if code != nil {
                code?.append(raw)
                continue
            }
            if line.isEmpty {
                flushParagraph()
                flushList()
                continue
            }
            if let level = headingLevel(line) {
                flushParagraph()
                flushList()
                let text = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                out.append("<h\(level + 2)>\(inline(text))</h\(level + 2)>")
                continue
            }
            if let item = listItem(line) {
                flushParagraph()
                if list == nil || list?.ordered != item.ordered {
                    flushList()
                    list = (item.ordered, [])
                }
                list?.items.append(item.text)
                continue
            }
            if list != nil, raw.hasPrefix("  ") {
                list!.items[list!.items.count - 1] += " " + line
                continue
            }
            flushList()
            paragraph.append(line)
        }
        if let lines = code { out.append("<pre><code>\(escape(lines.joined(separator: "\n")))</code></pre>") }
        flushParagraph()
        flushList()
        return out.joined(separator: "\n")
    }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(ch)
            }
        }
        return result
    }

    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...4).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return min(hashes, 3)
    }

    private static func listItem(_ line: String) -> (ordered: Bool, text: String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return (false, String(line.dropFirst(2))) }
        let digits = line.prefix { $0.isNumber }
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") {
            return (true, String(line.dropFirst(digits.count + 2)))
        }
        return nil
    }

    /// Inline markup: code spans first (their content stays literal), then links and emphasis
    /// on the escaped rest. An unmatched backtick stays a backtick.
    static func inline(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
        let balanced = parts.count % 2 == 1
        var out = ""
        for (i, part) in parts.enumerated() {
            let isCode = i % 2 == 1 && (balanced || i < parts.count - 1)
            if isCode {
                out += "<code>\(escape(part))</code>"
            } else {
                if i % 2 == 1 { out += "`" }
                out += emphasis(links(escape(part)))
            }
        }
        return out
    }

    private static func emphasis(_ text: String) -> String {
        var s = replacePairs(text, marker: "**", open: "<strong>", close: "</strong>")
        s = replacePairs(s, marker: "*", open: "<em>", close: "</em>")
        return s
    }

    private static func replacePairs(_ text: String, marker: String, open: String, close: String) -> String {
        let pieces = text.components(separatedBy: marker)
        guard pieces.count >= 3 else { return text }
        var out = pieces[0]
        var opened = false
        for (i, piece) in pieces.dropFirst().enumerated() {
            let isLast = i == pieces.count - 2
            if isLast && !opened && pieces.count % 2 == 0 {
                out += marker + piece
            } else {
                out += (opened ? close : open) + piece
                opened.toggle()
            }
        }
        if opened { out += close }
        return out
    }

    /// `[text](http…)` on already-escaped text; only http and https targets.
    private static func links(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            guard let mid = rest[open...].range(of: "]("), let end = rest[mid.upperBound...].firstIndex(of: ")") else { break }
            let label = rest[rest.index(after: open)..<mid.lowerBound]
            let url = rest[mid.upperBound..<end]
            out += rest[..<open]
            if url.hasPrefix("https://") || url.hasPrefix("http://") {
                out += "<a href=\"\(url)\" rel=\"noopener noreferrer\">\(label)</a>"
            } else {
                out += rest[open...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }
}
