import Testing

@testable import BreakfixCore

/// The built-in checkers, as a table: expected output, the program's output, and whether the
/// program's answer is accepted.
@Suite struct OutputComparisonTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var kind: CheckerKind
        var expected: String
        var actual: String
        var accepted: Bool
        var why: String

        var testDescription: String { "\(kind): \(why)" }
    }

    static func exact(_ expected: String, _ actual: String, _ accepted: Bool, _ why: String) -> Case {
        Case(kind: .exact, expected: expected, actual: actual, accepted: accepted, why: why)
    }
    static func tokens(_ expected: String, _ actual: String, _ accepted: Bool, _ why: String) -> Case {
        Case(kind: .tokens, expected: expected, actual: actual, accepted: accepted, why: why)
    }
    static func float(_ expected: String, _ actual: String, _ accepted: Bool, _ why: String, epsilon: Double = 1e-6) -> Case {
        Case(kind: .float(epsilon), expected: expected, actual: actual, accepted: accepted, why: why)
    }

    static let cases: [Case] = [
        exact("1 2\n3\n", "1 2\n3\n", true, "identical"),
        exact("1 2\n3\n", "1 2   \n3\t\n", true, "trailing spaces and tabs on a line are forgiven"),
        exact("1 2\n3\n", "1 2\n3", true, "a missing final newline is forgiven"),
        exact("1 2\n3\n", "1 2\n3\n\n\n", true, "extra trailing newlines are forgiven"),
        exact("1 2\n3\n", "1 2\r\n3\r\n", true, "CRLF equals LF"),
        exact("1 2\r\n3\r\n", "1 2\n3", true, "CRLF in the expected file equals LF"),
        exact("", "\n\n", true, "empty output against blank lines"),
        exact("1 2\n3\n", "1  2\n3\n", false, "a doubled inner space is a difference"),
        exact("1 2\n3\n", " 1 2\n3\n", false, "a leading space is a difference"),
        exact("1 2\n3\n", "1 2 3\n", false, "lines joined"),
        exact("1 2\n3\n", "1 2\n\n3\n", false, "an inner blank line is a difference"),
        exact("1 2\n3\n", "1 2\n3\n4\n", false, "an extra line"),
        exact("1 2\n3\n", "1 2\n", false, "a missing line"),
        exact("yes\n", "YES\n", false, "case matters"),
        exact("", "0", false, "output where none is expected"),
        exact("a\tb\n", "a b\n", false, "a tab inside a line is not a space"),

        tokens("1 2\n3\n", "1\n2 3", true, "line layout does not matter"),
        tokens("1 2 3", "  1\t2\r\n3  \n\n", true, "any whitespace separates tokens"),
        tokens("1 2 3", "1 2", false, "a missing token"),
        tokens("1 2 3", "1 2 3 4", false, "an extra token"),
        tokens("1 2 3", "1 3 2", false, "order matters"),
        tokens("1.0", "1", false, "tokens compare as text, not numbers"),
        tokens("yes", "YES", false, "case matters"),
        tokens("", " \n", true, "nothing against whitespace"),

        float("1.0", "1.0000005", true, "absolute error 5e-7"),
        float("0", "0.000001", true, "an error of exactly epsilon"),
        float("0", "0.000002", false, "absolute error 2e-6, and nothing relative to 0"),
        float("1.0", "1.000002", false, "absolute and relative error 2e-6"),
        float("1000000", "1000000.5", true, "relative error 5e-7 (absolute 0.5)"),
        float("1000000", "1000002", false, "relative error 2e-6"),
        float("-0.5", "-0.5000004", true, "negative numbers"),
        float("1.5", "1.5e0", true, "the same number written differently"),
        float("3.14159", "3.14", true, "a coarser epsilon", epsilon: 0.01),
        float("3.14159", "3.1", false, "beyond a coarser epsilon, absolute and relative", epsilon: 0.01),
        float("1 2\n", "1.0000001\n2", true, "layout does not matter"),
        float("2.5 x 3", "2.5000001 x 3", true, "words between numbers"),
        float("2.5 x 3", "2.5 y 3", false, "a word that differs"),
        float("YES 1.5", "yes 1.5", false, "words compare exactly, case included"),
        float("1 2", "1", false, "fewer tokens"),
        float("1", "1 2", false, "more tokens"),
        float("1", "", false, "no output"),
        float("1", "nan", false, "NaN is refused"),
        float("1", "NaN", false, "NaN is refused, any spelling"),
        float("1", "inf", false, "infinity is refused"),
        float("1", "-infinity", false, "minus infinity is refused"),
        float("inf", "1e400", false, "an overflowing number is refused"),
        float("1e308", "1e309", false, "an overflowing number is refused against a finite one"),
        float("1", "1.0.0", false, "not a number"),
    ]

    @Test(arguments: cases)
    func compares(_ c: Case) {
        let accepted = OutputComparison.matches(expected: Array(c.expected.utf8), actual: Array(c.actual.utf8), kind: c.kind)
        #expect(accepted == c.accepted, "expected \(c.expected.debugDescription), got \(c.actual.debugDescription)")
    }

    /// The same pair is judged differently by each checker: the checkers are not interchangeable.
    @Test func checkersDiffer() {
        let expected = Array("1.0 2\n".utf8)
        let actual = Array("1.0000001\n2".utf8)
        #expect(!OutputComparison.matches(expected: expected, actual: actual, kind: .exact))
        #expect(!OutputComparison.matches(expected: expected, actual: actual, kind: .tokens))
        #expect(OutputComparison.matches(expected: expected, actual: actual, kind: .float(1e-6)))
    }

    /// A custom checker is run by the judge, never decided here.
    @Test func customIsNeverDecidedHere() {
        #expect(!OutputComparison.matches(expected: Array("1\n".utf8), actual: Array("1\n".utf8), kind: .custom))
    }

    /// Invalid UTF-8 does not crash the comparison, and equal bytes still match exactly.
    @Test func invalidUTF8() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x0A]
        #expect(OutputComparison.matches(expected: bytes, actual: bytes, kind: .exact))
        #expect(!OutputComparison.matches(expected: bytes, actual: [0xFF, 0x0A], kind: .exact))
        #expect(OutputComparison.matches(expected: bytes, actual: bytes, kind: .tokens))
    }
}
