import Foundation

/// Proves a challenge works: every program in `solutions/` gets the verdict its file name
/// declares (`ac-…` accepted, `wa-…` wrong answer, …), and there is at least one `ac-`.
public struct ChallengeVerifier: Sendable {
    public let judge: any Judge
    public let languages: [LanguageSpec]

    public init(judge: any Judge, languages: [LanguageSpec]) {
        self.judge = judge
        self.languages = languages
    }

    /// One line per solution through `report` (`  ok  ac-main.c: AC (0.9s)`), then the outcome.
    public func verify(_ bundle: ChallengeBundle, report: @escaping @Sendable (String) -> Void = { _ in }) async -> VerifyOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        let slug = bundle.challenge.slug
        guard bundle.solutions.contains(where: { $0.expected == .AC }) else {
            return VerifyOutcome(slug: slug, failure: "solutions/ has no ac- program", duration: clock.now - started)
        }
        var failures: [String] = []
        for solution in bundle.solutions {
            guard let language = languages.first(where: { $0.id == solution.language }) else {
                failures.append("\(solution.fileName): language \(solution.language) is not configured")
                continue
            }
            let t0 = clock.now
            let outcome = await judge.judge(
                JudgeRequest(bundle: bundle, language: language, source: solution.source, labels: ["breakfix.purpose": "verify"])
            ) { _ in }
            let elapsed = clock.now - t0
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let got = outcome.verdict.rawValue + (outcome.failedTest.map { " on test \($0)" } ?? "")
            if outcome.verdict == solution.expected {
                report("  ok   \(slug)/\(solution.fileName): \(got) (\(String(format: "%.1f", seconds))s)")
            } else {
                var why = "\(solution.fileName) got \(got), expected \(solution.expected.rawValue)"
                if outcome.verdict == .CE, let output = outcome.compileOutput {
                    why += " (compiler: \(output.split(separator: "\n").first.map(String.init) ?? ""))"
                }
                if outcome.verdict == .IE, let error = outcome.internalError { why += " (\(error))" }
                report("  FAIL \(slug)/\(solution.fileName): got \(got), expected \(solution.expected.rawValue)")
                failures.append(why)
            }
        }
        return VerifyOutcome(
            slug: slug, failure: failures.isEmpty ? nil : failures.joined(separator: "; "), duration: clock.now - started)
    }
}
