import BreakfixCore
import FluentKit
import Foundation

/// A row of `clue_reveals`: clue `index` of a session's scenario was shown. Unique per
/// (session, index): revealing the same clue twice records it once.
final class ClueRevealModel: Model, @unchecked Sendable {
    static let schema = "clue_reveals"

    @ID(key: .id) var id: UUID?
    @Field(key: "session_id") var sessionID: String
    @Field(key: "index") var index: Int
    @Field(key: "at") var at: Date

    init() {}

    init(_ record: ClueRevealRecord) {
        self.id = UUID()
        self.sessionID = record.sessionID
        self.index = record.index
        self.at = record.at
    }

    var record: ClueRevealRecord { ClueRevealRecord(sessionID: sessionID, index: index, at: at) }
}
