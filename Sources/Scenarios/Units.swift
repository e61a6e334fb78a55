/// Parsing of the human units authors write: durations (`15m`, `1h30m`) and sizes (`256m`, `1g`).
public enum Units {
    /// `90s`, `15m`, `1h30m`, `2h`: hours, minutes and seconds in that order, each at most once.
    public static func parseDuration(_ text: String) -> Duration? {
        var seconds: Int64 = 0
        var number = ""
        var seen: [Character] = []
        let order: [Character] = ["h", "m", "s"]
        for ch in text {
            if ch.isASCII, ch.isNumber {
                number.append(ch)
                continue
            }
            guard let unit = order.firstIndex(of: ch), !number.isEmpty, let value = Int64(number),
                seen.allSatisfy({ order.firstIndex(of: $0)! < unit })
            else { return nil }
            seen.append(ch)
            seconds += value * [3600, 60, 1][unit]
            number = ""
        }
        guard number.isEmpty, !seen.isEmpty, seconds > 0 else { return nil }
        return .seconds(seconds)
    }

    /// `512k`, `256m`, `1g` (binary units, case-insensitive, an optional trailing `b`), or plain bytes.
    public static func parseSize(_ text: String) -> Int64? {
        var t = text.lowercased()
        if t.hasSuffix("ib") || (t.hasSuffix("b") && t.count > 1 && !t.dropLast().last!.isNumber) {
            t.removeLast(t.hasSuffix("ib") ? 2 : 1)
        }
        let multipliers: [Character: Int64] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40]
        var multiplier: Int64 = 1
        if let unit = t.last, let m = multipliers[unit] {
            multiplier = m
            t.removeLast()
        }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(t), value > 0
        else { return nil }
        let bytes = value * Double(multiplier)
        guard bytes < 9e18 else { return nil }
        return Int64(bytes)
    }

    /// `500ms`, `1s`, `1.5s`, `2m`: one number (decimals allowed) and one unit, for judge limits.
    public static func parseShortDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 1e-3), ("s", 1), ("m", 60)]
        for (unit, scale) in units where text.hasSuffix(unit) {
            let number = text.dropLast(unit.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number), value > 0, value * scale <= 86_400
            else { return nil }
            return .milliseconds(Int64((value * scale * 1000).rounded()))
        }
        return nil
    }
}
