import ArgumentParser

/// `breakfix`: one binary for operators and authors.
public struct BreakfixCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "breakfix",
        abstract: "Hands-on Linux troubleshooting challenges in isolated sandboxes.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, ScenarioCommand.self, PlayCommand.self, PurgeCommand.self,
            ChallengeCommand.self, SubmitCommand.self, JudgeWorkerCommand.self, UserCommand.self,
        ])

    public init() {}
}

struct ScenarioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "List, check, build and verify scenarios.",
        subcommands: [
            ScenarioListCommand.self, ScenarioLintCommand.self, ScenarioBuildCommand.self, ScenarioVerifyCommand.self,
        ])
}
