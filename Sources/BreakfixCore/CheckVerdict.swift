import Foundation

/// What a check said about a sandbox.
public enum CheckVerdict: Sendable, Equatable {
    case solved
    /// The check ran and said no; `feedback` is its optional hint line.
    case notSolved(feedback: String?)
    /// The check itself failed (hang, crash, no verdict): never counted as a wrong answer.
    case checkFailed(reason: String)

    public var isSolved: Bool { self == .solved }

    /// `OK`, `NO` or `ERROR`, as shown to users and stored with attempts.
    public var label: String {
        switch self {
        case .solved: "OK"
        case .notSolved: "NO"
        case .checkFailed: "ERROR"
        }
    }

    public var message: String? {
        switch self {
        case .solved: nil
        case .notSolved(let feedback): feedback
        case .checkFailed(let reason): reason
        }
    }

    /// The longest feedback line shown to a user.
    public static let maxFeedbackLength = 300

    /// Reads the verdict from a finished check. The last non-empty line `OK` means solved;
    /// `NO` means not solved, with the line just before it (or the one line after it) as feedback.
    public static func interpret(_ result: ExecResult, timeout: Duration) -> CheckVerdict {
        if result.timedOut {
            return .checkFailed(reason: "The check did not finish within \(timeout.seconds) s; it was stopped. Try again, and tell the scenario's author if it keeps happening.")
        }
        let lines = result.stdoutText.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard let last = lines.last else {
            return .checkFailed(reason: noVerdict(result))
        }
        if last == "OK" { return .solved }
        if last == "NO" {
            return .notSolved(feedback: lines.dropLast().last.map(clip))
        }
        if lines.count >= 2, lines[lines.count - 2] == "NO" {
            return .notSolved(feedback: clip(last))
        }
        return .checkFailed(reason: noVerdict(result))
    }

    private static func noVerdict(_ result: ExecResult) -> String {
        let code = result.exitCode.map { "exit code \($0)" } ?? "no exit code"
        return "The check crashed without a verdict (\(code)). Tell the scenario's author."
    }

    private static func clip(_ line: String) -> String {
        line.count <= maxFeedbackLength ? line : String(line.prefix(maxFeedbackLength)) + "…"
    }
}

extension Duration {
    /// Whole seconds, for messages.
    public var seconds: Int64 { components.seconds }
}

