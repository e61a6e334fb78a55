import BreakfixCore
import Testing

@testable import Scenarios

@Suite struct UnitsTests {
    @Test(arguments: [("90s", 90), ("15m", 900), ("1h30m", 5400), ("2h", 7200), ("1h0m5s", 3605)])
    func parsesDurations(text: String, seconds: Int64) {
        #expect(Units.parseDuration(text) == .seconds(seconds))
    }

    @Test(arguments: ["", "15", "m", "15 m", "1m1h", "15min", "-5m", "1.5h", "0s", "1m1m"])
    func rejectsDurations(text: String) {
        #expect(Units.parseDuration(text) == nil)
    }

    static let sizes: [(String, Int64)] = [
        ("512k", 524_288), ("256m", 268_435_456), ("1g", 1_073_741_824), ("1G", 1_073_741_824),
        ("256MB", 268_435_456), ("64MiB", 67_108_864), ("1000", 1000), ("1.5g", 1_610_612_736),
    ]

    @Test(arguments: sizes)
    func parsesSizes(text: String, bytes: Int64) {
        #expect(Units.parseSize(text) == bytes)
    }

    @Test(arguments: ["", "lots", "m", "-1m", "1x", "1 g", "0"])
    func rejectsSizes(text: String) {
        #expect(Units.parseSize(text) == nil)
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func suggestsCloseWords() {
        #expect(Suggestion.closest(to: "time_limt", in: ["title", "time_limit"]) == "time_limit")
        #expect(Suggestion.closest(to: "xyz", in: ["title", "time_limit"]) == nil)
    }
}
