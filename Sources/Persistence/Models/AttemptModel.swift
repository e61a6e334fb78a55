import BreakfixCore
import FluentKit
import Foundation

/// A row of `attempts`: one press of Check and its verdict.
final class AttemptModel: Model, @unchecked Sendable {
    static let schema = "attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "session_id") var sessionID: String
    @Field(key: "at") var at: Date
    @Field(key: "verdict") var verdict: String
    @OptionalField(key: "message") var message: String?

    init() {}

    init(_ record: AttemptRecord) {
        self.id = record.id
        self.sessionID = record.sessionID
        self.at = record.at
        self.verdict = record.verdict
        self.message = record.message
    }

    func record() throws -> AttemptRecord {
        AttemptRecord(id: try requireID(), sessionID: sessionID, at: at, verdict: verdict, message: message)
    }
}
