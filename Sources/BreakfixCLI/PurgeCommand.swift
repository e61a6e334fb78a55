import ArgumentParser
import BreakfixCore
import Foundation
import Logging
import Persistence
import Web

/// `breakfix purge --interview ID` / `--user UUID`: deletes one candidate's data on request —
/// their sessions, check attempts, clue reveals, terminal recordings and shell histories, and the
/// anonymous identity itself. The interview and the interviewers' notes stay.
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete one candidate's data (sessions, attempts, recordings) on request.")

    @Option(help: "The interview whose candidate's data to delete.") var interview: String?
    @Option(help: "The user (UUID) whose data to delete; a registered account needs --force.") var user: String?
    @Flag(help: "Allow deleting a registered account.") var force = false
    @Option(name: .customLong("data-dir"), help: "Where the SQLite database and the recordings live.") var dataDir: String?

    func validate() throws {
        guard (interview == nil) != (user == nil) else { throw ValidationError("Give exactly one of --interview or --user.") }
    }

    func run() async throws {
        try await withMigratedDatabase(dataDir: dataDir) { database, configuration in
            try await purge(database: database, recordings: configuration.dataDirectory.appendingPathComponent("recordings"))
        }
    }

    func purge(database: BreakfixDatabase, recordings: URL) async throws {
        let target: UUID
        if let interview {
            guard let record = try await database.interviewStore.interview(id: interview) else {
                throw ValidationError("There is no interview \(interview).")
            }
            guard let candidate = record.candidateID else {
                emit("The interview \(interview) has no candidate yet; nothing to delete.")
                return
            }
            target = candidate
        } else {
            guard let id = user.flatMap(UUID.init(uuidString:)) else { throw ValidationError("--user takes a UUID.") }
            target = id
        }
        if let account = try await database.userStore.user(id: target), !account.isAnonymous, !force {
            throw ValidationError("The user \(account.username ?? "") has an account; add --force to delete it and its data.")
        }
        let recorder = SessionRecorder(directory: recordings)
        let ids = try await database.interviewStore.purgeUser(target)
        for id in ids { await recorder.delete(id) }
        emit("Deleted the data of user \(target): \(ids.count) session(s) with their attempts, clues and recordings.")
    }
}
