import BreakfixCore
import FluentKit
import Foundation

/// A row of `sessions`. The id is the unguessable id chosen by the caller; state and phase are
/// stored as their raw strings so that raw SQL (the job claim) can compare them.
final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "scenario") var scenario: String
    @Field(key: "state") var state: String
    @OptionalField(key: "phase") var phase: String?
    @OptionalField(key: "sandbox_id") var sandboxID: String?
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "time_limit_seconds") var timeLimitSeconds: Int
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "provisioning_at") var provisioningAt: Date?
    @OptionalField(key: "ready_at") var readyAt: Date?
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "solved_at") var solvedAt: Date?
    @OptionalField(key: "ended_at") var endedAt: Date?
    @OptionalField(key: "destroyed_at") var destroyedAt: Date?
    @OptionalField(key: "interview_id") var interviewID: String?
    @Field(key: "clues_allowed") var cluesAllowed: Bool
    @OptionalField(key: "contest_id") var contestID: String?

    init() {}

    init(_ record: SessionRecord) {
        self.id = record.id
        apply(record)
    }

    /// Copies every field but the id.
    func apply(_ record: SessionRecord) {
        userID = record.userID
        scenario = record.scenario
        state = record.state.rawValue
        phase = record.phase?.rawValue
        sandboxID = record.sandboxID
        reason = record.reason
        timeLimitSeconds = record.timeLimitSeconds
        createdAt = record.createdAt
        provisioningAt = record.provisioningAt
        readyAt = record.readyAt
        expiresAt = record.expiresAt
        solvedAt = record.solvedAt
        endedAt = record.endedAt
        destroyedAt = record.destroyedAt
        interviewID = record.interviewID
        cluesAllowed = record.cluesAllowed
        contestID = record.contestID
    }

    func record() throws -> SessionRecord {
        let id = try requireID()
        guard let state = SessionState(rawValue: state) else {
            throw PersistenceError.corruptRow("session \(id) has unknown state '\(self.state)'")
        }
        var phase: ProvisionPhase?
        if let raw = self.phase {
            guard let value = ProvisionPhase(rawValue: raw) else {
                throw PersistenceError.corruptRow("session \(id) has unknown phase '\(raw)'")
            }
            phase = value
        }
        return SessionRecord(
            id: id, userID: userID, scenario: scenario, state: state, phase: phase, sandboxID: sandboxID,
            reason: reason, timeLimitSeconds: timeLimitSeconds, createdAt: createdAt, provisioningAt: provisioningAt,
            readyAt: readyAt, expiresAt: expiresAt, solvedAt: solvedAt, endedAt: endedAt, destroyedAt: destroyedAt,
            interviewID: interviewID, cluesAllowed: cluesAllowed, contestID: contestID)
    }
}
