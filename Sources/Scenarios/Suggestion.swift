/// "Did you mean …?" for misspelt keys and values.
enum Suggestion {
    /// The candidate closest to `word`, if it is close enough to be a likely typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        let scored = candidates.map { ($0, distance(lowered, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let allowed = max(1, min(3, best.0.count / 3))
        if best.1 <= allowed { return best.0 }
        if best.0.hasPrefix(lowered) || lowered.hasPrefix(best.0) { return best.0 }
        return nil
    }

    /// `; did you mean "x"?`, or `otherwise` when nothing is close.
    static func hint(for word: String, in candidates: [String], otherwise: String) -> String {
        closest(to: word, in: candidates).map { "; did you mean \"\($0)\"?" } ?? otherwise
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
