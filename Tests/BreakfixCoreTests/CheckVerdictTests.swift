import Testing

@testable import BreakfixCore

@Suite struct CheckVerdictTests {
    func result(_ stdout: String, exit: Int32? = 0, timedOut: Bool = false) -> ExecResult {
        ExecResult(exitCode: exit, stdout: Array(stdout.utf8), stderr: [], timedOut: timedOut)
    }

    @Test func readsVerdicts() {
        #expect(CheckVerdict.interpret(result("OK\n"), timeout: .seconds(10)) == .solved)
        #expect(CheckVerdict.interpret(result("checking…\n\nOK\n\n"), timeout: .seconds(10)) == .solved)
        #expect(CheckVerdict.interpret(result("NO\n", exit: 1), timeout: .seconds(10)) == .notSolved(feedback: nil))
        #expect(
            CheckVerdict.interpret(result("nginx is not running\nNO\n"), timeout: .seconds(10))
                == .notSolved(feedback: "nginx is not running"))
        #expect(
            CheckVerdict.interpret(result("NO\nport 80 is closed\n"), timeout: .seconds(10))
                == .notSolved(feedback: "port 80 is closed"))
    }

    @Test func aCheckThatHangsOrCrashesIsNotAWrongAnswer() {
        guard case .checkFailed(let hang) = CheckVerdict.interpret(result("", exit: nil, timedOut: true), timeout: .seconds(10)) else {
            Issue.record("a hang must be a check failure")
            return
        }
        #expect(hang.contains("did not finish within 10 s"))
        guard case .checkFailed(let crash) = CheckVerdict.interpret(result("", exit: 2), timeout: .seconds(10)) else {
            Issue.record("a crash must be a check failure")
            return
        }
        #expect(crash.contains("exit code 2"))
        #expect(CheckVerdict.interpret(result("OK then\n"), timeout: .seconds(10)).label == "ERROR")
    }

    @Test func feedbackIsCapped() {
        let long = String(repeating: "x", count: 5_000)
        guard case .notSolved(let feedback?) = CheckVerdict.interpret(result("\(long)\nNO\n"), timeout: .seconds(10)) else {
            Issue.record("expected feedback")
            return
        }
        #expect(feedback.count == CheckVerdict.maxFeedbackLength + 1)
    }

    @Test func limitsAreClampedToTheOperatorMaximum() {
        let asked = ResourceLimits(memoryBytes: 64 << 30, cpus: 16, pids: 100_000, diskBytes: 1 << 40, tmpfsBytes: 1 << 30, openFiles: 1 << 20)
        #expect(asked.clamped(to: .operatorMaximum) == .operatorMaximum)
        #expect(ResourceLimits.default.clamped(to: .operatorMaximum) == .default)
    }
}
