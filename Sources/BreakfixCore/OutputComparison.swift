import Foundation

/// The built-in checkers: compares a program's output with the expected output, outside the
/// sandbox the program ran in. (`custom` checkers run in their own sandbox; see `Judge`.)
public enum OutputComparison {
    /// True when `actual` is an accepted answer for `expected` under `kind`. `custom` is not
    /// decided here and returns false.
    public static func matches(expected: [UInt8], actual: [UInt8], kind: CheckerKind) -> Bool {
        switch kind {
        case .exact:
            return trimmingTrailingWhitespace(expected) == trimmingTrailingWhitespace(actual)
        case .tokens:
            return tokens(expected) == tokens(actual)
        case .float(let epsilon):
            let want = tokens(expected)
            let got = tokens(actual)
            guard want.count == got.count else { return false }
            for (w, g) in zip(want, got) where w != g {
                guard let a = number(w), let b = number(g), a.isFinite, b.isFinite else { return false }
                let difference = abs(a - b)
                if difference > epsilon && difference > epsilon * abs(a) { return false }
            }
            return true
        case .custom:
            return false
        }
    }

    /// Lines are compared exactly, but trailing whitespace on each line and trailing empty lines
    /// are forgiven (a missing final newline must not be a wrong answer), and CRLF equals LF.
    static func trimmingTrailingWhitespace(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            var line = Array(line)
            while let last = line.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: "\r")
            {
                line.removeLast()
            }
            return line
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines
    }

    static func tokens(_ bytes: [UInt8]) -> [Substring] {
        String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0.isWhitespace })
    }

    static func number(_ token: Substring) -> Double? {
        Double(token)
    }
}
